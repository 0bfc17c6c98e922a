/**
 * Remote networks and keys. A network is an RPC URL with the chain id it must report (and,
 * when the protocol is deployed there, its contract addresses). A key row describes a sealed key
 * file in keys/; the secret itself is never in the database.
 */
export default /* sql */ `
CREATE TABLE networks (
  name            TEXT PRIMARY KEY,
  rpc_url         TEXT NOT NULL,
  chain_id        INTEGER NOT NULL,
  currency_symbol TEXT NOT NULL,
  contracts_json  TEXT NOT NULL,
  created_at      TEXT NOT NULL
) STRICT;

CREATE TABLE keys (
  id          TEXT PRIMARY KEY,
  address     TEXT NOT NULL UNIQUE,
  label       TEXT NOT NULL,
  backend     TEXT NOT NULL,
  file        TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;
`;
