import type { Db } from '../workspace/openDatabase';
import { getVersionRow } from './versionsRepository';

/**
 * Records added, removed and changed between two versions, by source id. Changed: the same
 * source id with different content or contributor (a re-import under the same id).
 */
export function diffVersions(db: Db, datanet: { id: number; name: string }, a: number, b: number): { from: number; to: number; added: string[]; removed: string[]; changed: string[] } {
  const va = getVersionRow(db, datanet.id, datanet.name, a);
  const vb = getVersionRow(db, datanet.id, datanet.name, b);
  const load = (versionId: number) =>
    new Map(
      (
        db.prepare('SELECT r.source_id, r.contributor || r.content_hash AS k FROM datanet_version_records v JOIN datanet_records r ON r.id = v.record_id WHERE v.version_id = ?').all(versionId) as {
          source_id: string;
          k: string;
        }[]
      ).map((r) => [r.source_id, r.k]),
    );
  const A = load(va.id);
  const B = load(vb.id);
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [id, k] of B) {
    const old = A.get(id);
    if (old === undefined) added.push(id);
    else if (old !== k) changed.push(id);
  }
  for (const id of A.keys()) if (!B.has(id)) removed.push(id);
  return { from: a, to: b, added: added.sort(), removed: removed.sort(), changed: changed.sort() };
}
