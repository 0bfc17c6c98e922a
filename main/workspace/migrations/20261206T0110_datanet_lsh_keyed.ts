/**
 * datanet_lsh as one B-tree keyed (datanet_id, band, bucket, record_id) instead of a rowid table
 * plus an index on (datanet_id, band, bucket): an import writes ~16 bucket rows per record (one
 * per band at threshold 0.8), and each went into two B-trees; now into one, in key order. The
 * near-duplicate probes (same band and bucket, an earlier record) read record_id from the key
 * itself instead of a row lookup per index entry. Nothing reads the rowid any more: an import
 * learns which of its records share a bucket while it writes them (storeSignals.ts).
 * A row is its whole key, so a repeated row (none is ever written) would be kept once.
 */
export default /* sql */ `
CREATE TABLE datanet_lsh_keyed (
  datanet_id INTEGER NOT NULL,
  band       INTEGER NOT NULL,
  bucket     INTEGER NOT NULL,
  record_id  INTEGER NOT NULL,
  PRIMARY KEY (datanet_id, band, bucket, record_id)
) STRICT, WITHOUT ROWID;
INSERT OR IGNORE INTO datanet_lsh_keyed (datanet_id, band, bucket, record_id)
  SELECT datanet_id, band, bucket, record_id FROM datanet_lsh ORDER BY datanet_id, band, bucket, record_id;
DROP TABLE datanet_lsh;
ALTER TABLE datanet_lsh_keyed RENAME TO datanet_lsh;
`;
