// The workspace's remote networks: an RPC URL, the chain id it must report, the currency it pays
// fees in, and where the protocol is deployed on it (if it is). The local devnet is not a row:
// it is built in (see main/core/networkHandlers.ts).
import { protocolArtifacts } from '../../../contracts/generated/index.js';
import { ErrorCode, StudioError } from '../../api/apiError';
import { DEVNET_NETWORK, NetworkAddParamsSchema, type Network, type NetworkAddParams } from '../../api/networkSchemas';
import type { Db } from '../../workspace/openDatabase';
import { invalidArgument } from '../chainErrors';

interface Row {
  name: string;
  rpc_url: string;
  chain_id: number;
  currency_symbol: string;
  contracts_json: string;
  created_at: string;
}

function fromRow(r: Row): Network {
  return {
    name: r.name,
    builtIn: false,
    rpcUrl: r.rpc_url,
    chainId: r.chain_id,
    currencySymbol: r.currency_symbol,
    contracts: JSON.parse(r.contracts_json) as Network['contracts'],
    createdAt: r.created_at,
  };
}

export function listNetworks(db: Db): Network[] {
  return (db.prepare('SELECT * FROM networks ORDER BY name').all() as Row[]).map(fromRow);
}

export function findNetwork(db: Db, name: string): Network | undefined {
  const row = db.prepare('SELECT * FROM networks WHERE name = ?').get(name) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/**
 * Adds a network (validated again here: the CLI calls this too). `devnetChainId` is refused:
 * publications are reconciled against the devnet by chain id, so a remote network sharing it
 * would have its publications judged against the wrong chain.
 */
export function addNetwork(db: Db, input: NetworkAddParams, devnetChainId: number): Network {
  const p = NetworkAddParamsSchema.parse(input);
  if (p.name === DEVNET_NETWORK) throw invalidArgument(`name: "${DEVNET_NETWORK}" is the built-in local devnet.`, { field: 'name' });
  if (p.chainId === devnetChainId) {
    throw invalidArgument(`chainId: ${p.chainId} is this workspace's local devnet chain id; a remote network needs its own.`, { field: 'chainId' });
  }
  for (const name of Object.keys(p.contracts)) {
    if (!(name in protocolArtifacts)) {
      throw invalidArgument(`contracts.${name}: not a protocol contract. Known: ${Object.keys(protocolArtifacts).join(', ')}.`, { field: `contracts.${name}` });
    }
  }
  if (findNetwork(db, p.name)) throw new StudioError(ErrorCode.Conflict, `A network named "${p.name}" exists already; remove it first.`);
  db.prepare('INSERT INTO networks (name, rpc_url, chain_id, currency_symbol, contracts_json, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    p.name,
    p.rpcUrl,
    p.chainId,
    p.currencySymbol,
    JSON.stringify(p.contracts),
    new Date().toISOString(),
  );
  return findNetwork(db, p.name)!;
}

export function removeNetwork(db: Db, name: string): Network {
  if (name === DEVNET_NETWORK) throw invalidArgument(`name: "${DEVNET_NETWORK}" is the built-in local devnet and cannot be removed.`, { field: 'name' });
  const found = findNetwork(db, name);
  if (!found) throw new StudioError(ErrorCode.NotFound, `No network named "${name}".`, { known: listNetworks(db).map((n) => n.name) });
  db.prepare('DELETE FROM networks WHERE name = ?').run(name);
  return found;
}
