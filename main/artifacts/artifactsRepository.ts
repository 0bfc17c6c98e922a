import type { Artifact } from '../api/schemas';
import { ErrorCode, StudioError } from '../api/apiError';
import type { Db } from '../workspace/openDatabase';

interface ArtifactRow {
  sha256: string;
  size: number;
  name: string;
  media_type: string;
  created_at: string;
}

const toArtifact = (r: ArtifactRow): Artifact => ({ sha256: r.sha256, size: r.size, name: r.name, mediaType: r.media_type, createdAt: r.created_at });

export function listArtifacts(db: Db): Artifact[] {
  return (db.prepare('SELECT * FROM artifacts ORDER BY created_at DESC, sha256').all() as ArtifactRow[]).map(toArtifact);
}

export function getArtifact(db: Db, sha256: string): Artifact {
  const row = db.prepare('SELECT * FROM artifacts WHERE sha256 = ?').get(sha256) as ArtifactRow | undefined;
  if (!row) throw new StudioError(ErrorCode.NotFound, `No artifact ${sha256} in this workspace.`);
  return toArtifact(row);
}

/** Same bytes stored twice keep their first name and date: content addressing dedupes. */
export function recordArtifact(db: Db, a: Omit<Artifact, 'createdAt'>): Artifact {
  db.prepare('INSERT OR IGNORE INTO artifacts (sha256, size, name, media_type, created_at) VALUES (?, ?, ?, ?, ?)').run(
    a.sha256,
    a.size,
    a.name,
    a.mediaType,
    new Date().toISOString(),
  );
  return getArtifact(db, a.sha256);
}
