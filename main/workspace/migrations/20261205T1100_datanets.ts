/**
 * Datanets: curated datasets whose every record stays tied to its contributor's address.
 * Records are never deleted: rejection and exclusion are states, and every review action keeps
 * the states it replaced so it can be undone. Signals live in their own table so a recompute
 * replaces them without touching the records. Versions freeze accepted records by id.
 */
export default /* sql */ `
CREATE TABLE datanets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  domain      TEXT NOT NULL,
  description TEXT NOT NULL,
  licence     TEXT NOT NULL,
  schema      TEXT NOT NULL CHECK (schema IN ('text', 'instruction', 'chat', 'labelled')),
  -- Jaccard similarity from which records are near duplicates; the LSH buckets follow it.
  near_dup_threshold REAL NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE datanet_imports (
  id            INTEGER PRIMARY KEY,
  datanet_id    INTEGER NOT NULL REFERENCES datanets(id),
  job_id        TEXT,
  source        TEXT NOT NULL,
  format        TEXT NOT NULL,
  mapping_json  TEXT NOT NULL,
  imported      INTEGER NOT NULL,
  rejected      INTEGER NOT NULL,
  report_sha256 TEXT NOT NULL,
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE datanet_records (
  id            INTEGER PRIMARY KEY,
  datanet_id    INTEGER NOT NULL REFERENCES datanets(id),
  import_id     INTEGER NOT NULL REFERENCES datanet_imports(id),
  source_id     TEXT NOT NULL,
  contributor   TEXT NOT NULL,
  content_json  TEXT NOT NULL,
  metadata_json TEXT NOT NULL,
  -- The record's searchable text (text, or prompt and response, or the messages joined).
  text          TEXT NOT NULL,
  -- keccak256 of the canonical content JSON: the recordHash of the DatanetRegistry leaf.
  content_hash  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'excluded')),
  status_reason TEXT,
  UNIQUE (datanet_id, source_id)
) STRICT;
CREATE INDEX datanet_records_status ON datanet_records (datanet_id, status);
CREATE INDEX datanet_records_contributor ON datanet_records (datanet_id, contributor);

CREATE VIRTUAL TABLE datanet_records_fts USING fts5(text, content = 'datanet_records', content_rowid = 'id');
-- Records are only inserted (never updated in text, never deleted), so one trigger keeps FTS whole.
CREATE TRIGGER datanet_records_fts_insert AFTER INSERT ON datanet_records BEGIN
  INSERT INTO datanet_records_fts (rowid, text) VALUES (new.id, new.text);
END;

CREATE TABLE datanet_signals (
  record_id        INTEGER PRIMARY KEY REFERENCES datanet_records(id),
  datanet_id       INTEGER NOT NULL REFERENCES datanets(id),
  norm_hash        TEXT NOT NULL,
  -- The first record with the same normalised text; NULL for the first copy itself.
  exact_dup_of     INTEGER,
  -- The smallest record id of its near-duplicate cluster; NULL when it has no near duplicate.
  near_dup_cluster INTEGER,
  minhash          BLOB NOT NULL,
  pii_count        INTEGER NOT NULL,
  pii_json         TEXT NOT NULL,
  length           INTEGER NOT NULL,
  words            INTEGER NOT NULL,
  mean_word_length REAL NOT NULL,
  symbol_ratio     REAL NOT NULL,
  alpha_ratio      REAL NOT NULL,
  dup_line_ratio   REAL NOT NULL,
  top_ngram_ratio  REAL NOT NULL,
  stop_words       INTEGER NOT NULL,
  language         TEXT NOT NULL,
  -- Heuristics the record fails, comma-separated ('' when it passes them all).
  quality_flags    TEXT NOT NULL
) STRICT;
CREATE INDEX datanet_signals_norm ON datanet_signals (datanet_id, norm_hash);
CREATE INDEX datanet_signals_cluster ON datanet_signals (datanet_id, near_dup_cluster);

-- LSH band buckets of each record's MinHash, for near-duplicate candidates.
CREATE TABLE datanet_lsh (
  datanet_id INTEGER NOT NULL,
  band       INTEGER NOT NULL,
  bucket     INTEGER NOT NULL,
  record_id  INTEGER NOT NULL
) STRICT;
CREATE INDEX datanet_lsh_bucket ON datanet_lsh (datanet_id, band, bucket);

CREATE TABLE datanet_review_actions (
  id         INTEGER PRIMARY KEY,
  datanet_id INTEGER NOT NULL REFERENCES datanets(id),
  actor      TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('accept', 'reject', 'exclude', 'undo')),
  filter     TEXT NOT NULL,
  reason     TEXT,
  changed    INTEGER NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

-- What one action changed on one record; undone_by marks a change already reverted.
CREATE TABLE datanet_review_changes (
  action_id   INTEGER NOT NULL REFERENCES datanet_review_actions(id),
  record_id   INTEGER NOT NULL REFERENCES datanet_records(id),
  from_status TEXT NOT NULL,
  from_reason TEXT,
  to_status   TEXT NOT NULL,
  to_reason   TEXT,
  undone_by   INTEGER REFERENCES datanet_review_actions(id),
  PRIMARY KEY (action_id, record_id)
) STRICT;
CREATE INDEX datanet_review_changes_record ON datanet_review_changes (record_id, action_id);

CREATE TABLE datanet_versions (
  id             INTEGER PRIMARY KEY,
  datanet_id     INTEGER NOT NULL REFERENCES datanets(id),
  version        INTEGER NOT NULL,
  merkle_root    TEXT NOT NULL,
  records        INTEGER NOT NULL,
  -- sha256 of the JSONL snapshot: the snapshotSha256 published on chain.
  jsonl_sha256   TEXT NOT NULL,
  parquet_sha256 TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  UNIQUE (datanet_id, version)
) STRICT;

CREATE TABLE datanet_version_records (
  version_id INTEGER NOT NULL REFERENCES datanet_versions(id),
  record_id  INTEGER NOT NULL REFERENCES datanet_records(id),
  PRIMARY KEY (version_id, record_id)
) STRICT, WITHOUT ROWID;

-- A datanet created on a chain's DatanetRegistry (per registry address: a redeploy needs a new one).
CREATE TABLE datanet_chain (
  datanet_id INTEGER NOT NULL REFERENCES datanets(id),
  chain_id   INTEGER NOT NULL,
  registry   TEXT NOT NULL,
  onchain_id TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (datanet_id, chain_id, registry)
) STRICT;

-- An import's records of one contributor submitted on chain as a staked batch (its hash: the
-- Merkle root of the batch's (contributor, contentHash) leaves), and the curator's decision.
CREATE TABLE datanet_submissions (
  id             INTEGER PRIMARY KEY,
  datanet_id     INTEGER NOT NULL REFERENCES datanets(id),
  import_id      INTEGER NOT NULL REFERENCES datanet_imports(id),
  contributor    TEXT NOT NULL,
  records        INTEGER NOT NULL,
  batch_root     TEXT NOT NULL,
  chain_id       INTEGER NOT NULL,
  registry       TEXT NOT NULL,
  onchain_id     TEXT NOT NULL,
  stake          TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'rejected', 'slashed')),
  publication_id TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
`;
