import type { Db } from '../workspace/openDatabase';
import { bandingFor, lshBuckets } from './lshBands';
import { estimateJaccard } from './minhashSignature';

/**
 * Clusters records from `fromId` on with every record sharing an LSH bucket whose estimated
 * Jaccard similarity reaches the threshold. A cluster is named by its smallest record id;
 * clusters that a new record bridges merge into one.
 *
 * `sharing` (what signalWriter's `finish` returned for the records from `fromId` on: every one
 * that shares any bucket with an earlier record, and a few that do not) lets most records be
 * skipped: the others have no candidate in any band, so skipping them changes nothing. Without
 * it every record is probed.
 */
export function settleNearDuplicates(db: Db, datanetId: number, fromId: number, threshold: number, sharing?: Iterable<number>): void {
  const banding = bandingFor(threshold);
  // Indexed lookups by (band, bucket). A bucket shared by very many records (copies of one text)
  // needs only a few of them: they are already clustered together, so joining any one joins all.
  // One statement for all of a record's bands (each band's lookup keeps its own LIMIT); the
  // clusters do not depend on the order candidates come in (each is named by its min id).
  const perBand = 'SELECT record_id FROM (SELECT record_id FROM datanet_lsh WHERE datanet_id = ? AND band = ? AND bucket = ? AND record_id < ? ORDER BY record_id LIMIT 64)';
  const inBuckets = db.prepare(Array(banding.bands).fill(perBand).join(' UNION ALL ')).pluck();
  const params: number[] = new Array(banding.bands * 4);
  const sigOf = db.prepare('SELECT minhash, near_dup_cluster FROM datanet_signals WHERE record_id = ?');
  let news = db.prepare('SELECT record_id FROM datanet_signals WHERE datanet_id = ? AND record_id >= ? ORDER BY record_id').pluck().all(datanetId, fromId) as number[];
  if (sharing !== undefined) {
    const shares = new Set(sharing);
    news = news.filter((id) => shares.has(id));
  }
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  };
  const sigCache = new Map<number, { sig: Uint32Array; cluster: number | null }>();
  const load = (id: number) => {
    let v = sigCache.get(id);
    if (!v) {
      const row = sigOf.get(id) as { minhash: Buffer; near_dup_cluster: number | null };
      v = { sig: new Uint32Array(row.minhash.buffer.slice(row.minhash.byteOffset, row.minhash.byteOffset + row.minhash.byteLength)), cluster: row.near_dup_cluster };
      if (sigCache.size > 100_000) sigCache.clear();
      sigCache.set(id, v);
    }
    return v;
  };
  for (const id of news) {
    const mine = load(id).sig;
    const candidates = new Set<number>();
    lshBuckets(mine, banding).forEach((bucket, band) => {
      params[4 * band] = datanetId;
      params[4 * band + 1] = band;
      params[4 * band + 2] = bucket;
      params[4 * band + 3] = id;
    });
    for (const other of inBuckets.all(params) as number[]) candidates.add(other);
    for (const other of candidates) {
      const o = load(other);
      if (estimateJaccard(mine, o.sig) < threshold) continue;
      union(id, other);
      // Joining a record that is already clustered joins its whole cluster (named by its min id).
      if (o.cluster !== null) union(id, o.cluster);
    }
  }
  const groups = new Map<number, number[]>();
  for (const id of parent.keys()) {
    const r = find(id);
    groups.set(r, [...(groups.get(r) ?? []), id]);
  }
  const setCluster = db.prepare('UPDATE datanet_signals SET near_dup_cluster = ? WHERE record_id = ?');
  const mergeCluster = db.prepare('UPDATE datanet_signals SET near_dup_cluster = ? WHERE datanet_id = ? AND near_dup_cluster = ?');
  for (const [root, members] of groups) {
    for (const m of members) {
      const old = (sigOf.get(m) as { near_dup_cluster: number | null }).near_dup_cluster;
      if (old !== null && old !== root) mergeCluster.run(root, datanetId, old);
      setCluster.run(root, m);
    }
  }
}
