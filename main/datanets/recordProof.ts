import { ErrorCode, StudioError } from '../api/apiError';
import type { DatanetProof } from '../api/datanetSchemas';
import type { Db } from '../workspace/openDatabase';
import { versionMerkle } from './versionMerkle';
import { getVersionRow } from './versionsRepository';

/** The inclusion proof of one record (by source id) in a version: what verifyRecord takes. */
export function recordProof(db: Db, datanet: { id: number; name: string }, version: number | undefined, sourceId: string): DatanetProof {
  const v = getVersionRow(db, datanet.id, datanet.name, version);
  const rec = db
    .prepare('SELECT r.id, r.contributor, r.content_hash FROM datanet_version_records vr JOIN datanet_records r ON r.id = vr.record_id WHERE vr.version_id = ? AND r.source_id = ?')
    .get(v.id, sourceId) as { id: number; contributor: string; content_hash: string } | undefined;
  if (!rec) throw new StudioError(ErrorCode.NotFound, `Record ${sourceId} is not in version ${v.version} of datanet ${datanet.name}.`, { datanet: datanet.name, version: v.version, record: sourceId });
  // The whole tree is rebuilt (natively: about 5 CPU-s at a million records, mostly SQLite reading
  // the rows); the stored root is what the proof must lead to.
  const { root, proof } = versionMerkle(db, v.id, { proveRecordId: rec.id });
  if (root !== v.merkle_root) throw new Error(`Version ${v.version} of datanet ${datanet.name}: its records give the root ${root}, not the stored ${v.merkle_root}`);
  return { version: v.version, merkleRoot: root, sourceId, contributor: rec.contributor, recordHash: rec.content_hash, proof: proof! };
}
