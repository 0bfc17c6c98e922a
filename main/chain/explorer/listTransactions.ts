// One page of the explorer's transaction list: newest first, whole blocks, each transaction
// decoded with the protocol ABIs, labelled and with its outcome.
//
// Cost: blocks are scanned back from `before` in rounds of growing size (×4); a round is one
// JSON-RPC batch of headers (transaction hashes only). The blocks that hold the page's
// transactions are then read in one more batch (full transactions + eth_getBlockReceipts). So a
// page costs at most 2 + MAX_ROUNDS HTTP round trips and scans at most MAX_SCAN_BLOCKS blocks,
// however sparse the chain is: after `anvil_mine` of thousands of empty blocks the list pages on
// with short (even empty) pages instead of one unbounded call.
import { getAddress, type Hash } from 'viem';
import type { TransactionListItem, TransactionPage } from '../../api/chainSchemas';
import { rpcError, type ChainExplorer } from './chainExplorer';

/** The most blocks one page looks at. */
export const MAX_SCAN_BLOCKS = 1024;
/** Header rounds per page: with the first round at `limit` blocks and ×4 growth, 4 rounds reach
 * MAX_SCAN_BLOCKS for any limit. */
export const MAX_ROUNDS = 4;
const DEFAULT_LIMIT = 25;

export async function listTransactions(explorer: ChainExplorer, opts: { before?: number; limit?: number }): Promise<TransactionPage> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const client = explorer.batchClient;
  try {
    const latest = Number(await client.getBlockNumber({ cacheTime: 0 }));
    // The next block to look at; -1 once block 0 was scanned.
    let next = Math.min(latest, (opts.before ?? latest + 1) - 1);
    const picked: number[] = [];
    let found = 0;
    let scanned = 0;
    let roundSize = Math.max(limit, 16);
    for (let round = 0; round < MAX_ROUNDS && next >= 0 && found < limit && scanned < MAX_SCAN_BLOCKS; round++) {
      const size = Math.min(roundSize, MAX_SCAN_BLOCKS - scanned, next + 1);
      const from = next;
      const headers = await Promise.all(Array.from({ length: size }, (_, i) => client.getBlock({ blockNumber: BigInt(from - i) })));
      for (const header of headers) {
        next = Number(header.number) - 1;
        scanned += 1;
        if (header.transactions.length === 0) continue;
        picked.push(Number(header.number));
        found += header.transactions.length;
        if (found >= limit) break;
      }
      roundSize *= 4;
    }

    // One batch: every picked block with its transactions, and its receipts.
    const [blocks, receipts] = await Promise.all([
      Promise.all(picked.map((n) => client.getBlock({ blockNumber: BigInt(n), includeTransactions: true }))),
      Promise.all(picked.map((n) => client.getBlockReceipts({ blockNumber: BigInt(n) }))),
    ]);
    const transactions: TransactionListItem[] = [];
    blocks.forEach((block, i) => {
      const receiptByHash = new Map<Hash, (typeof receipts)[number][number]>(receipts[i]!.map((r) => [r.transactionHash, r]));
      for (const tx of [...block.transactions].reverse()) {
        const receipt = receiptByHash.get(tx.hash);
        const to = tx.to ? getAddress(tx.to) : null;
        const from = getAddress(tx.from);
        transactions.push({
          hash: tx.hash,
          blockNumber: Number(block.number),
          timestamp: Number(block.timestamp),
          from,
          fromLabel: explorer.labelOf(from),
          to,
          toLabel: explorer.labelOf(to),
          // A deployment has no `to`: name the contract it created, as chain.transaction does.
          contractName: explorer.contractNameOf(to ?? receipt?.contractAddress),
          functionName: explorer.decodeCall(to, tx.input)?.functionName ?? null,
          value: tx.value.toString(),
          status: receipt?.status === 'reverted' ? 'reverted' : 'success',
        });
      }
    });
    return { transactions, nextBefore: next >= 0 ? next + 1 : null };
  } catch (err) {
    throw rpcError(err, 'reading transactions');
  }
}
