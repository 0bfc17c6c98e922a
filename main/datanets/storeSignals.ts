import type { Db } from '../workspace/openDatabase';
import { bandingFor, lshBuckets } from './lshBands';
import type { StagedRecord } from './stagedRecord';

/**
 * Writes one record's signals and LSH buckets and marks it an exact duplicate when an earlier
 * record of the datanet has the same normalised text. Near-duplicate clusters are settled after
 * the batch (settleNearDuplicates), once every bucket is in.
 */
export function signalWriter(db: Db, datanetId: number, threshold: number) {
  const banding = bandingFor(threshold);
  const firstCopy = db.prepare('SELECT MIN(record_id) AS id FROM datanet_signals WHERE datanet_id = ? AND norm_hash = ?');
  const insert = db.prepare(`INSERT INTO datanet_signals (record_id, datanet_id, norm_hash, exact_dup_of, near_dup_cluster, minhash, pii_count, pii_json,
    length, words, mean_word_length, symbol_ratio, alpha_ratio, dup_line_ratio, top_ngram_ratio, stop_words, language, quality_flags)
    VALUES (?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  // All of a record's bands in one statement (one call into SQLite instead of one per band).
  const buckets = db.prepare(`INSERT INTO datanet_lsh (datanet_id, band, bucket, record_id) VALUES ${Array(banding.bands).fill('(?, ?, ?, ?)').join(', ')}`);
  const params: number[] = new Array(banding.bands * 4);
  return (recordId: number, s: StagedRecord['signals']) => {
    const first = (firstCopy.get(datanetId, s.normHash) as { id: number | null }).id;
    const minhash = Buffer.from(s.minhash, 'base64');
    insert.run(
      recordId,
      datanetId,
      s.normHash,
      first !== null && first < recordId ? first : null,
      minhash,
      s.pii.length,
      JSON.stringify(s.pii),
      s.length,
      s.words,
      s.meanWordLength,
      s.symbolRatio,
      s.alphaRatio,
      s.dupLineRatio,
      s.topNgramRatio,
      s.stopWords,
      s.language,
      s.flags.join(','),
    );
    const sig = new Uint32Array(minhash.buffer.slice(minhash.byteOffset, minhash.byteOffset + minhash.byteLength));
    lshBuckets(sig, banding).forEach((b, band) => {
      params[4 * band] = datanetId;
      params[4 * band + 1] = band;
      params[4 * band + 2] = b;
      params[4 * band + 3] = recordId;
    });
    buckets.run(params);
  };
}
