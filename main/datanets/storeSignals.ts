import type { Db } from '../workspace/openDatabase';
import { bucketFilter } from './bucketFilter';
import { bandingFor, lshBuckets } from './lshBands';
import type { SignalColumns } from './stagedRecord';

/**
 * Writes records' signals and LSH buckets: `write` one record at a time in id order, then
 * `finish` once every record of the batch is written (it moves the buckets into datanet_lsh and
 * returns the batch's records that may share a bucket with an earlier record: all that do, and
 * a few that do not), then settle exact duplicates (settleExactDuplicates) and near-duplicate
 * clusters (settleNearDuplicates, given what `finish` returned).
 *
 * Why the buckets go through a temp table: they are random keys, and inserting them one record at
 * a time into datanet_lsh's B-tree touched a random page per row (half the commit's LSH cost).
 * Appended to an unindexed temp table, then inserted in key order by one statement, they fill
 * the B-tree page by page; the rows stored are the same.
 */
export function signalWriter(
  db: Db,
  datanetId: number,
  threshold: number,
  expectedRecords = 1_000_000,
): { write: (recordId: number, s: SignalColumns) => void; finish: () => number[] } {
  // expectedRecords only sizes the Bloom filter below (bucketFilter.ts): a wrong guess costs time, never a result.
  const banding = bandingFor(threshold);
  const insert = db.prepare(`INSERT INTO datanet_signals (record_id, datanet_id, norm_hash, exact_dup_of, near_dup_cluster, minhash, pii_count, pii_json,
    length, words, mean_word_length, symbol_ratio, alpha_ratio, dup_line_ratio, top_ngram_ratio, stop_words, language, quality_flags)
    VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // The connection's own temp table (temp_store spills it to a file, so any size stays bounded);
  // created inside the caller's transaction, so a rollback drops it with everything else.
  db.exec('CREATE TEMP TABLE IF NOT EXISTS datanet_lsh_staged (band INTEGER, bucket INTEGER, record_id INTEGER)');
  db.exec('DELETE FROM temp.datanet_lsh_staged');
  // All of a record's bands in one statement (one call into SQLite instead of one per band), the
  // band numbers written into it: two values bound per band.
  const buckets = db.prepare(`INSERT INTO temp.datanet_lsh_staged (band, bucket, record_id) VALUES ${Array.from({ length: banding.bands }, (_, band) => `(${band}, ?, ?)`).join(', ')}`);
  const params: number[] = new Array(banding.bands * 2);
  // Which records share a bucket with an earlier record of the datanet: the only ones
  // settleNearDuplicates has candidates for (a few percent). Among the records written here, a
  // Bloom filter of their keys answers as each is written (its false positives only cost the
  // settle a probe that finds nothing). Only when the datanet had records before (a later import)
  // does `finish` also probe datanet_lsh for each new row, in key order: the staged rows are
  // sorted once into a second temp table, which both the insert and the probes then read in
  // order (probes in the staged rows' own order, random keys, cost about 2.5x as much).
  const seen = bucketFilter(expectedRecords * banding.bands);
  // Records with signals before this writer (their LSH rows were written with them).
  const before = db.prepare('SELECT COUNT(*) FROM datanet_signals WHERE datanet_id = ?').pluck().get(datanetId) as number;
  if (before > 0) {
    db.exec('CREATE TEMP TABLE IF NOT EXISTS datanet_lsh_sorted (band INTEGER, bucket INTEGER, record_id INTEGER)');
    db.exec('DELETE FROM temp.datanet_lsh_sorted');
  }
  let sharing: number[] = [];
  const finish = (): number[] => {
    let ids = sharing;
    if (before > 0) {
      db.exec('INSERT INTO temp.datanet_lsh_sorted (band, bucket, record_id) SELECT band, bucket, record_id FROM temp.datanet_lsh_staged ORDER BY band, bucket, record_id');
      db.prepare('INSERT INTO datanet_lsh (datanet_id, band, bucket, record_id) SELECT ?, band, bucket, record_id FROM temp.datanet_lsh_sorted ORDER BY rowid').run(datanetId);
      const earlier = db
        .prepare(
          `SELECT DISTINCT s.record_id FROM temp.datanet_lsh_sorted s WHERE EXISTS
             (SELECT 1 FROM main.datanet_lsh c WHERE c.datanet_id = ? AND c.band = s.band AND c.bucket = s.bucket AND c.record_id < s.record_id)`,
        )
        .pluck()
        .all(datanetId) as number[];
      ids = [...new Set([...sharing, ...earlier])].sort((a, b) => a - b);
      db.exec('DELETE FROM temp.datanet_lsh_sorted');
    } else {
      db.prepare('INSERT INTO datanet_lsh (datanet_id, band, bucket, record_id) SELECT ?, band, bucket, record_id FROM temp.datanet_lsh_staged ORDER BY band, bucket, record_id').run(datanetId);
    }
    sharing = [];
    db.exec('DELETE FROM temp.datanet_lsh_staged');
    return ids;
  };
  const write = (recordId: number, s: SignalColumns) => {
    const minhash = s.minhash;
    insert.run(
      recordId,
      datanetId,
      s.normHash,
      null,
      minhash,
      s.piiCount,
      s.piiJson,
      s.length,
      s.words,
      s.meanWordLength,
      s.symbolRatio,
      s.alphaRatio,
      s.dupLineRatio,
      s.topNgramRatio,
      s.stopWords,
      s.language,
      s.flags,
    );
    const sig = new Uint32Array(minhash.buffer.slice(minhash.byteOffset, minhash.byteOffset + minhash.byteLength));
    let shares = false;
    lshBuckets(sig, banding).forEach((b, band) => {
      params[2 * band] = b;
      params[2 * band + 1] = recordId;
      if (seen.seen(band, b)) shares = true;
    });
    buckets.run(params);
    if (shares) sharing.push(recordId);
  };
  return { write, finish };
}

/**
 * Marks each record from `fromId` on whose normalised text an earlier record of the datanet has
 * as an exact duplicate of the first such record. One statement for the batch (an index probe
 * per row in SQLite, and a write only for the duplicates) instead of a lookup per record.
 */
export function settleExactDuplicates(db: Db, datanetId: number, fromId: number): void {
  db.prepare(
    `UPDATE datanet_signals AS s SET exact_dup_of =
       (SELECT MIN(f.record_id) FROM datanet_signals f WHERE f.datanet_id = s.datanet_id AND f.norm_hash = s.norm_hash)
     WHERE s.record_id >= ? AND s.datanet_id = ? AND EXISTS
       (SELECT 1 FROM datanet_signals f WHERE f.datanet_id = s.datanet_id AND f.norm_hash = s.norm_hash AND f.record_id < s.record_id)`,
  ).run(fromId, datanetId);
}
