import { ErrorCode, StudioError } from '../api/apiError';
import type { DatanetProof } from '../api/datanetSchemas';
import type { Db } from '../workspace/openDatabase';
import { versionTree } from './freezeVersion';
import { getVersionRow } from './versionsRepository';

/** The inclusion proof of one record (by source id) in a version: what verifyRecord takes. */
export function recordProof(db: Db, datanet: { id: number; name: string }, version: number | undefined, sourceId: string): DatanetProof {
  const v = getVersionRow(db, datanet.id, datanet.name, version);
  const rec = db
    .prepare('SELECT r.id, r.contributor, r.content_hash FROM datanet_version_records vr JOIN datanet_records r ON r.id = vr.record_id WHERE vr.version_id = ? AND r.source_id = ?')
    .get(v.id, sourceId) as { id: number; contributor: string; content_hash: string } | undefined;
  if (!rec) throw new StudioError(ErrorCode.NotFound, `Record ${sourceId} is not in version ${v.version} of datanet ${datanet.name}.`, { datanet: datanet.name, version: v.version, record: sourceId });
  const { tree, ids } = versionTree(db, v.id);
  const proof = tree.getProof(ids.indexOf(rec.id));
  return { version: v.version, merkleRoot: tree.root, sourceId, contributor: rec.contributor, recordHash: rec.content_hash, proof };
}
