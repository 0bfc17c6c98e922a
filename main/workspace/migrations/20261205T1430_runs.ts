/**
 * The Factory's runs (main/factory/runsRepository.ts). A run is a pipeline (its YAML as given, and
 * the hash of what decides its numbers) started as 'factory.run' jobs: the first, then one per
 * resume. Its status is the latest job's, so a process that died mid-run leaves the run
 * 'interrupted' (resumable), never silently lost. Metrics and evaluations are copied from the
 * run folder's files, which the training worker writes (it must not touch the database).
 */
export default /* sql */ `
CREATE TABLE runs (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  pipeline_yaml    TEXT NOT NULL,
  base_dir         TEXT NOT NULL,
  pipeline_json    TEXT NOT NULL,
  config_hash      TEXT NOT NULL,
  datanet          TEXT NOT NULL,
  datanet_version  INTEGER NOT NULL,
  merkle_root      TEXT NOT NULL,
  model_dir        TEXT NOT NULL,
  base_json        TEXT NOT NULL,
  steps            INTEGER NOT NULL,
  run_dir          TEXT NOT NULL,
  job_id           TEXT,
  adapter_name     TEXT,
  summary_json     TEXT,
  created_at       TEXT NOT NULL
) STRICT;
CREATE INDEX runs_created ON runs (created_at);

CREATE TABLE run_metrics (
  run_id             TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step               INTEGER NOT NULL,
  loss               REAL,
  lr                 REAL NOT NULL,
  grad_norm          REAL,
  tokens_per_second  REAL NOT NULL,
  memory_mb          REAL NOT NULL,
  time               TEXT NOT NULL,
  PRIMARY KEY (run_id, step)
) STRICT;

CREATE TABLE run_evaluations (
  run_id        TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step          INTEGER NOT NULL,
  eval_loss     REAL,
  perplexity    REAL,
  samples_json  TEXT NOT NULL,
  checkpoint    INTEGER NOT NULL,
  time          TEXT NOT NULL,
  PRIMARY KEY (run_id, step)
) STRICT;
`;
