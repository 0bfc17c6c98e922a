// The leaves of one attribution batch: each contributor's part of the model's contributor pool,
// in exact wei, as a StandardMerkleTree over ["address", "uint256"] (what
// AttributionLedger.claim verifies).
//
// The pool (what payInferenceFees put in for the contributors) is split by each contributor's
// fees over the epoch with the largest remainder, so the leaves sum to the pool to the wei.
// The threshold was applied per inference already, but the ledger holds every claim to the
// threshold again on the batch's totals (ShareBelowThreshold: amount * 10000 < total * bps). A
// contributor whose aggregated amount falls under it could never claim, so its fees are folded
// into the others: it is dropped and the pool re-split over the rest, until every leaf clears the
// threshold. Dropping someone only raises the others' amounts, so the loop ends. Should every
// contributor fall under it (a threshold above 1/n with n equal contributors), the one with the
// most fees (ties: the lowest address) takes the whole pool rather than leaving it unclaimable.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { splitWei } from './splitWei';

export const LEAF_ENCODING = ['address', 'uint256'] as const;
const BPS = 10_000n;

export interface BatchLeaves {
  /** [address, amount in wei as decimal] sorted by address. */
  leaves: [string, string][];
  /** Contributors folded into the others, with the fees they had in the epoch. */
  folded: { address: string; feeWei: string }[];
}

function belowThreshold(amount: bigint, total: bigint, thresholdBps: number): boolean {
  return amount * BPS < total * BigInt(thresholdBps);
}

export function batchLeaves(pool: bigint, feesByContributor: ReadonlyMap<string, bigint>, thresholdBps: number): BatchLeaves {
  let weights = new Map([...feesByContributor].filter(([, fee]) => fee > 0n));
  const folded: BatchLeaves['folded'] = [];
  if (weights.size === 0 || pool === 0n) return { leaves: [], folded };
  for (;;) {
    const amounts = splitWei(pool, weights);
    // A leaf of 0 wei (a pool smaller than the number of contributors) is no claim at all.
    const under = [...amounts].filter(([, a]) => a === 0n || belowThreshold(a, pool, thresholdBps)).map(([address]) => address);
    if (under.length === 0) {
      const leaves = [...amounts].map(([address, a]): [string, string] => [address, a.toString()]).sort((x, y) => (x[0].toLowerCase() < y[0].toLowerCase() ? -1 : 1));
      return { leaves, folded };
    }
    if (under.length === weights.size) {
      const top = [...weights].sort((x, y) => (x[1] === y[1] ? (x[0].toLowerCase() < y[0].toLowerCase() ? -1 : 1) : x[1] > y[1] ? -1 : 1))[0]!;
      for (const [address, fee] of weights) if (address !== top[0]) folded.push({ address, feeWei: fee.toString() });
      weights = new Map([top]);
      continue;
    }
    for (const address of under) {
      folded.push({ address, feeWei: weights.get(address)!.toString() });
      weights.delete(address);
    }
  }
}

export function buildTree(leaves: [string, string][]): StandardMerkleTree<[string, string]> {
  return StandardMerkleTree.of(leaves, [...LEAF_ENCODING]);
}

export function loadTree(json: string): StandardMerkleTree<[string, string]> {
  return StandardMerkleTree.load(JSON.parse(json) as ReturnType<StandardMerkleTree<[string, string]>['dump']>);
}
