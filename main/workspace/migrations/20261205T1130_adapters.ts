/**
 * The adapter registry (main/adapters). An adapter's two files live in the artifact store, named by
 * their sha256; the row holds its name, its shape summary and its lineage (the base model's file
 * hashes, the run or folder it came from, merge parents) as JSON, so a search reads one table.
 */
export default /* sql */ `
CREATE TABLE adapters (
  name            TEXT PRIMARY KEY,
  source          TEXT NOT NULL CHECK (source IN ('trained', 'imported', 'merged')),
  rank            INTEGER NOT NULL,
  alpha           REAL NOT NULL,
  rslora          INTEGER NOT NULL,
  targets_json    TEXT NOT NULL,
  modules         INTEGER NOT NULL,
  parameters      INTEGER NOT NULL,
  size            INTEGER NOT NULL,
  config_sha256   TEXT NOT NULL,
  weights_sha256  TEXT NOT NULL,
  base_json       TEXT NOT NULL,
  base_digest     TEXT NOT NULL,
  datanet         TEXT,
  run             TEXT,
  imported_from   TEXT,
  parents_json    TEXT NOT NULL,
  created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX adapters_base ON adapters (base_digest);
`;
