// Devnet-only time control, so a demo walks a proposal through its voting delay, voting period
// and timelock delay in a minute: Anvil's evm_increaseTime moves the clock, evm_mine mines.
import type { DevnetAdvanceResult } from '../api/governanceSchemas';
import { rpcError, type ChainExplorer } from '../chain/explorer/chainExplorer';

/**
 * Moves the clock `seconds` forward, then mines `blocks` blocks (at least one when the clock
 * moved: the new time only shows, and only counts for the timelock, in a mined block). The
 * caller has checked that `explorer` is the workspace's devnet: these methods exist on Anvil only.
 */
export async function advanceDevnet(explorer: ChainExplorer, blocks: number, seconds: number): Promise<DevnetAdvanceResult> {
  const mined = seconds > 0 ? Math.max(1, blocks) : blocks;
  try {
    if (seconds > 0) await explorer.client.request({ method: 'evm_increaseTime', params: [seconds] } as never);
    // One JSON-RPC batch for all the blocks; Anvil handles a batch's calls in order.
    await Promise.all(Array.from({ length: mined }, () => explorer.batchClient.request({ method: 'evm_mine', params: [] } as never)));
    const head = await explorer.client.getBlock({ blockTag: 'latest' });
    return { block: Number(head.number), timestamp: Number(head.timestamp), minedBlocks: mined, increasedSeconds: seconds };
  } catch (err) {
    throw rpcError(err, 'advancing the devnet');
  }
}
