import { ErrorCode, StudioError } from '../api/apiError';
import type { DatanetVersion } from '../api/datanetSchemas';
import type { Db } from '../workspace/openDatabase';

interface VersionRow {
  id: number;
  version: number;
  merkle_root: string;
  records: number;
  jsonl_sha256: string;
  parquet_sha256: string;
  created_at: string;
}

export function toVersion(r: VersionRow): DatanetVersion {
  return { version: r.version, merkleRoot: r.merkle_root, records: r.records, sha256: r.jsonl_sha256, parquetSha256: r.parquet_sha256, createdAt: r.created_at };
}

export function listVersions(db: Db, datanetId: number): DatanetVersion[] {
  return (db.prepare('SELECT * FROM datanet_versions WHERE datanet_id = ? ORDER BY version').all(datanetId) as VersionRow[]).map(toVersion);
}

/** A version by number, or the latest when none is given; NOT_FOUND says which exist. */
export function getVersionRow(db: Db, datanetId: number, name: string, version?: number): VersionRow {
  const row = (
    version === undefined
      ? db.prepare('SELECT * FROM datanet_versions WHERE datanet_id = ? ORDER BY version DESC LIMIT 1').get(datanetId)
      : db.prepare('SELECT * FROM datanet_versions WHERE datanet_id = ? AND version = ?').get(datanetId, version)
  ) as VersionRow | undefined;
  if (!row) {
    const count = (db.prepare('SELECT COUNT(*) AS n FROM datanet_versions WHERE datanet_id = ?').get(datanetId) as { n: number }).n;
    throw new StudioError(
      ErrorCode.NotFound,
      version === undefined ? `Datanet ${name} has no version yet (create one with "datanet version ${name}").` : `Datanet ${name} has no version ${version} (it has ${count}).`,
      { datanet: name, version: version ?? null },
    );
  }
  return row;
}

/** The records of a version in leaf order (record id), with what the leaf and exports need. */
export function versionRecords(db: Db, versionId: number): Iterable<{ id: number; source_id: string; contributor: string; content_json: string; content_hash: string; text: string }> {
  return db
    .prepare(
      `SELECT r.id, r.source_id, r.contributor, r.content_json, r.content_hash, r.text FROM datanet_version_records v
       JOIN datanet_records r ON r.id = v.record_id WHERE v.version_id = ? ORDER BY r.id`,
    )
    .iterate(versionId) as Iterable<{ id: number; source_id: string; contributor: string; content_json: string; content_hash: string; text: string }>;
}
