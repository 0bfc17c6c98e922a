// Compares what the workspace recorded as sent with what the chain holds. Run on every devnet
// start, restart, revert and reset: a confirmed publication whose transaction is gone (lost
// state, reset, revert) becomes 'lost' with the reason, so it is shown as unpublished and can be
// published again; it is never dropped.
import type { Hash, PublicClient } from 'viem';
import type { Publication } from '../../api/chainSchemas';
import type { Db } from '../../workspace/openDatabase';
import { listPublications, updatePublication } from './publicationsRepository';

/** `where` names the chain in messages: the devnet, or a remote network (networks.check). */
export async function reconcilePublications(db: Db, client: PublicClient, chainId: number, why: string, where = 'the devnet'): Promise<Publication[]> {
  const changed: Publication[] = [];
  const open = listPublications(db, { chainId, limit: 100_000 }).filter((p) => p.status === 'confirmed' || p.status === 'pending');
  for (const p of open) {
    if (!p.txHash) {
      // Recorded, then the process ended before sending: nothing reached the chain.
      changed.push(
        updatePublication(db, p.id, {
          status: 'failed',
          error: { code: 'INTERRUPTED', message: 'Studio stopped before this publication was sent; nothing was sent.' },
        }),
      );
      continue;
    }
    const receipt = await client.getTransactionReceipt({ hash: p.txHash as Hash }).catch(() => null);
    const sameBlock = receipt && (p.blockHash === null || receipt.blockHash === p.blockHash);
    if (receipt && sameBlock) {
      if (p.status === 'pending') {
        changed.push(
          updatePublication(db, p.id, {
            status: receipt.status === 'success' ? 'confirmed' : 'failed',
            blockNumber: Number(receipt.blockNumber),
            blockHash: receipt.blockHash,
            ...(receipt.status === 'success' ? {} : { error: { code: 'CHAIN_REVERTED', message: 'The transaction reverted.' } }),
          }),
        );
      }
      continue;
    }
    if (p.status === 'pending') {
      // Still waiting in the pool (block-time mode) is not lost.
      const inPool = await client.getTransaction({ hash: p.txHash as Hash }).catch(() => null);
      if (inPool) continue;
    }
    changed.push(
      updatePublication(db, p.id, {
        status: 'lost',
        error: {
          code: 'CHAIN_TX_GONE',
          message: `Transaction ${p.txHash} is no longer on ${where} (${why}); this publication is not published any more.`,
          details: { previousStatus: p.status, blockNumber: p.blockNumber },
        },
      }),
    );
  }
  return changed;
}
