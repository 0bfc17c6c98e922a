// Snapshot, revert, reset and mining on a running devnet through Anvil's JSON-RPC methods.
// Snapshots live in Anvil's memory: they do not survive a restart (a persisted copy of the whole
// chain is the --state file, see anvilProcess.ts).
import { rpcCall } from './anvilProcess.js';

/** Takes an in-memory snapshot; returns its id for revertTo. */
export function snapshot(rpcUrl: string): Promise<string> {
  return rpcCall<string>(rpcUrl, 'evm_snapshot');
}

/** Returns the chain to a snapshot. Anvil deletes that snapshot (and later ones) when used. */
export async function revertTo(rpcUrl: string, snapshotId: string): Promise<void> {
  const ok = await rpcCall<boolean>(rpcUrl, 'evm_revert', [snapshotId]);
  if (!ok) throw new Error(`devnet has no snapshot ${snapshotId} (snapshots do not survive a restart or a revert past them)`);
}

/** Empties the chain back to genesis (dev accounts funded again); contracts must be redeployed. */
export async function resetChain(rpcUrl: string): Promise<void> {
  await rpcCall(rpcUrl, 'anvil_reset', []);
}

/** Mines `blocks` blocks at once (votes and timelocks wait on block numbers). */
export async function mine(rpcUrl: string, blocks = 1): Promise<void> {
  await rpcCall(rpcUrl, 'anvil_mine', [`0x${blocks.toString(16)}`]);
}

export async function blockNumber(rpcUrl: string): Promise<bigint> {
  return BigInt(await rpcCall<string>(rpcUrl, 'eth_blockNumber'));
}
