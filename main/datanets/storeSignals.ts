import type { Db } from '../workspace/openDatabase';
import { bandingFor, lshBuckets } from './lshBands';
import type { SignalColumns } from './stagedRecord';

/**
 * Writes records' signals and LSH buckets: `write` one record at a time in id order, then
 * `finish` once every record of the batch is written (it moves the buckets into datanet_lsh),
 * then settle exact duplicates (settleExactDuplicates) and near-duplicate clusters
 * (settleNearDuplicates).
 *
 * Why the buckets go through a temp table: they are random keys, and inserting them one record at
 * a time into the datanet_lsh_bucket index touched a random index page per row (half the commit's
 * LSH cost). Appended to an unindexed temp table, then inserted in key order by one statement,
 * they fill the index page by page; the rows stored are the same. Their rowids then rise in key
 * order too, so settleNearDuplicates' probes of earlier buckets (new rows in rowid order) walk the
 * index in order as well.
 */
export function signalWriter(db: Db, datanetId: number, threshold: number): { write: (recordId: number, s: SignalColumns) => void; finish: () => void } {
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
  const finish = () => {
    db.prepare('INSERT INTO datanet_lsh (datanet_id, band, bucket, record_id) SELECT ?, band, bucket, record_id FROM temp.datanet_lsh_staged ORDER BY band, bucket, record_id').run(datanetId);
    db.exec('DELETE FROM temp.datanet_lsh_staged');
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
    lshBuckets(sig, banding).forEach((b, band) => {
      params[2 * band] = b;
      params[2 * band + 1] = recordId;
    });
    buckets.run(params);
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
