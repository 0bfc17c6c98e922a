/**
 * Settlement of Proof of Attribution (main/attribution): attributed inferences recorded per epoch
 * with their fee split into exact wei per contributor, and each (epoch, model) settlement's
 * progress through its states, so a crash anywhere resumes without paying twice. Wei amounts are
 * decimal TEXT: they pass 2^63 (SQLite's INTEGER) as soon as a few hundred 0.01 OPEN fees add up.
 */
export default /* sql */ `
CREATE TABLE attribution_epochs (
  epoch      INTEGER PRIMARY KEY,
  status     TEXT NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at  TEXT NOT NULL,
  closed_at  TEXT
) STRICT;
-- Exactly one open epoch at a time: inferences go there.
CREATE UNIQUE INDEX attribution_epochs_one_open ON attribution_epochs (status) WHERE status = 'open';

CREATE TABLE attribution_inferences (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  epoch             INTEGER NOT NULL REFERENCES attribution_epochs (epoch),
  -- What is settled as one model on chain: the adapter's name, or the model's when none.
  model_key         TEXT NOT NULL,
  model             TEXT NOT NULL,
  adapter           TEXT,
  onchain_model_id  TEXT,
  datanet           TEXT NOT NULL,
  datanet_root      TEXT NOT NULL,
  fee_wei           TEXT NOT NULL,
  created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX attribution_inferences_epoch ON attribution_inferences (epoch, model_key);

CREATE TABLE attribution_inference_shares (
  inference_id  INTEGER NOT NULL REFERENCES attribution_inferences (id),
  contributor   TEXT NOT NULL,
  share         REAL NOT NULL,
  fee_wei       TEXT NOT NULL,
  PRIMARY KEY (inference_id, contributor)
) STRICT;

-- One row per (epoch, model) once the epoch is closed. States, in order: closed (amounts fixed),
-- paying (the fee transaction is signed and stored, maybe sent), paid (its receipt was seen),
-- posting (the tree is fixed and stored, the batch maybe sent), posted (batch id known).
CREATE TABLE attribution_settlements (
  epoch             INTEGER NOT NULL REFERENCES attribution_epochs (epoch),
  model_key         TEXT NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('closed', 'paying', 'paid', 'posting', 'posted')),
  inference_count   INTEGER NOT NULL,
  fees_wei          TEXT NOT NULL,
  chain_id          INTEGER,
  ledger            TEXT,
  onchain_model_id  TEXT,
  pay_raw_tx        TEXT,
  pay_tx            TEXT,
  pay_gas           INTEGER,
  pool_wei          TEXT,
  threshold_bps     INTEGER,
  tree_json         TEXT,
  root              TEXT,
  folded_json       TEXT,
  post_from_block   INTEGER,
  batch_id          TEXT,
  post_tx           TEXT,
  post_gas          INTEGER,
  publication_id    TEXT,
  updated_at        TEXT NOT NULL,
  PRIMARY KEY (epoch, model_key)
) STRICT;

-- The on-chain model a model key settles to, per chain and registry (a reset gives a new one).
CREATE TABLE attribution_models (
  model_key   TEXT NOT NULL,
  chain_id    INTEGER NOT NULL,
  registry    TEXT NOT NULL,
  onchain_id  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (model_key, chain_id, registry)
) STRICT;
`;
