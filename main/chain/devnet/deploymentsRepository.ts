// Where the protocol lives on a workspace's devnet. Rows are only added: a redeploy after lost
// state or a reset keeps the old addresses as history, and the newest row per chain id is current.
import type { Address } from 'viem';
import type { Db } from '../../workspace/openDatabase';

export interface Deployment {
  id: number;
  chainId: number;
  deployer: Address;
  fromBlock: number;
  gasUsed: string;
  reason: string;
  deployedAt: string;
  contracts: Record<string, Address>;
}

export function recordDeployment(
  db: Db,
  d: { chainId: number; deployer: Address; fromBlock: bigint; gasUsed: bigint; reason: string; contracts: Record<string, Address> },
): Deployment {
  const deployedAt = new Date().toISOString();
  const id = db.transaction(() => {
    const info = db
      .prepare('INSERT INTO chain_deployments (chain_id, deployer, from_block, gas_used, reason, deployed_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(d.chainId, d.deployer, Number(d.fromBlock), d.gasUsed.toString(), d.reason, deployedAt);
    const insert = db.prepare('INSERT INTO chain_contracts (deployment_id, name, address) VALUES (?, ?, ?)');
    for (const [name, address] of Object.entries(d.contracts)) insert.run(info.lastInsertRowid, name, address);
    return Number(info.lastInsertRowid);
  })();
  return { id, chainId: d.chainId, deployer: d.deployer, fromBlock: Number(d.fromBlock), gasUsed: d.gasUsed.toString(), reason: d.reason, deployedAt, contracts: d.contracts };
}

/** The newest deployment on `chainId`, if any. */
export function currentDeployment(db: Db, chainId: number): Deployment | undefined {
  const row = db
    .prepare('SELECT id, chain_id, deployer, from_block, gas_used, reason, deployed_at FROM chain_deployments WHERE chain_id = ? ORDER BY id DESC LIMIT 1')
    .get(chainId) as
    | { id: number; chain_id: number; deployer: Address; from_block: number; gas_used: string; reason: string; deployed_at: string }
    | undefined;
  if (!row) return undefined;
  const contracts = Object.fromEntries(
    (db.prepare('SELECT name, address FROM chain_contracts WHERE deployment_id = ? ORDER BY name').all(row.id) as { name: string; address: Address }[]).map(
      (c) => [c.name, c.address],
    ),
  );
  return {
    id: row.id,
    chainId: row.chain_id,
    deployer: row.deployer,
    fromBlock: row.from_block,
    gasUsed: row.gas_used,
    reason: row.reason,
    deployedAt: row.deployed_at,
    contracts,
  };
}
