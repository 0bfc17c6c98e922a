/**
 * The chain capability: where the protocol was deployed on this workspace's devnet, and what the
 * app published there. A deployment is never updated in place: a redeploy (state lost, reset)
 * adds a row, so the history of addresses stays readable.
 */
export default /* sql */ `
CREATE TABLE chain_deployments (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  chain_id     INTEGER NOT NULL,
  deployer     TEXT NOT NULL,
  from_block   INTEGER NOT NULL,
  gas_used     TEXT NOT NULL,
  reason       TEXT NOT NULL,
  deployed_at  TEXT NOT NULL
) STRICT;
CREATE INDEX chain_deployments_by_chain ON chain_deployments (chain_id, id DESC);

CREATE TABLE chain_contracts (
  deployment_id INTEGER NOT NULL REFERENCES chain_deployments (id),
  name          TEXT NOT NULL,
  address       TEXT NOT NULL,
  PRIMARY KEY (deployment_id, name)
) STRICT;

CREATE TABLE publications (
  id             TEXT PRIMARY KEY,
  kind           TEXT NOT NULL,
  title          TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('pending','confirmed','failed','lost')),
  chain_id       INTEGER NOT NULL,
  contract       TEXT NOT NULL,
  function_name  TEXT NOT NULL,
  params_json    TEXT NOT NULL,
  tx_hash        TEXT,
  block_number   INTEGER,
  block_hash     TEXT,
  result_json    TEXT,
  error_json     TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX publications_by_created ON publications (created_at DESC);
`;
