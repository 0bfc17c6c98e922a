import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import { ArtifactStore } from '../artifacts/artifactStore';
import type { Db } from '../workspace/openDatabase';
import { getVersionRow } from './versionsRepository';

/** Copies a version's stored snapshot (JSONL or Parquet) to `out`, by a temp file and rename. */
export function exportVersion(
  db: Db,
  artifactsRoot: string,
  datanet: { id: number; name: string },
  version: number | undefined,
  format: 'jsonl' | 'parquet',
  out: string,
): { path: string; version: number; format: string; sha256: string; records: number } {
  const v = getVersionRow(db, datanet.id, datanet.name, version);
  const sha256 = format === 'jsonl' ? v.jsonl_sha256 : v.parquet_sha256;
  const src = new ArtifactStore(artifactsRoot).pathOf(sha256);
  if (!fs.existsSync(src)) throw new StudioError(ErrorCode.NotFound, `The ${format} snapshot of ${datanet.name} v${v.version} is missing from the artifact store (${sha256}).`, { sha256 });
  const dest = path.resolve(out);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.tmp-${process.pid}`;
  fs.copyFileSync(src, tmp);
  fs.chmodSync(tmp, 0o644);
  fs.renameSync(tmp, dest);
  return { path: dest, version: v.version, format, sha256, records: v.records };
}
