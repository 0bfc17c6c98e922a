// The batch's leaves: exact sums, folding of totals under the threshold, and a tree whose proofs
// verify as AttributionLedger.claim verifies them (StandardMerkleTree over address, uint256).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import { batchLeaves, buildTree, LEAF_ENCODING, loadTree } from '../settlementTree';

const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const B = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const C = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const sum = (leaves: [string, string][]) => leaves.reduce((s, [, a]) => s + BigInt(a), 0n);

describe('batchLeaves', () => {
  it('splits the pool by epoch fees, exactly, with every leaf over the threshold', () => {
    const { leaves, folded } = batchLeaves(1_000_003n, new Map([[A, 5n], [B, 3n], [C, 2n]]), 100);
    expect(folded).toEqual([]);
    expect(sum(leaves)).toBe(1_000_003n);
    expect(leaves.map(([a]) => a)).toEqual([B, A, C]);
  });

  it('folds a contributor under the threshold into the others, and re-checks after', () => {
    // C has 0.5% of the fees; the threshold is 1%.
    const { leaves, folded } = batchLeaves(10n ** 18n, new Map([[A, 600n], [B, 395n], [C, 5n]]), 100);
    expect(folded).toEqual([{ address: C, feeWei: '5' }]);
    expect(leaves.map(([a]) => a)).toEqual([B, A]);
    expect(sum(leaves)).toBe(10n ** 18n);
    for (const [, a] of leaves) expect(BigInt(a) * 10_000n >= 10n ** 18n * 100n).toBe(true);
  });

  it('gives the whole pool to the largest contributor when everyone is under the threshold', () => {
    const { leaves, folded } = batchLeaves(999n, new Map([[A, 1n], [B, 1n], [C, 1n]]), 5_000);
    // Three equal shares of 33% under a 50% threshold: the tie goes to the lowest address, B.
    expect(leaves).toEqual([[B, '999']]);
    expect(folded.map((f) => f.address).sort()).toEqual([A, C].sort());
  });

  it('drops 0-wei leaves of a pool smaller than the contributors, and posts nothing from an empty pool', () => {
    const { leaves } = batchLeaves(2n, new Map([[A, 10n], [B, 9n], [C, 1n]]), 0);
    expect(leaves.every(([, a]) => a !== '0')).toBe(true);
    expect(sum(leaves)).toBe(2n);
    expect(batchLeaves(0n, new Map([[A, 1n]]), 0).leaves).toEqual([]);
  });
});

describe('buildTree', () => {
  it('round-trips through its stored JSON with proofs that verify against the root', () => {
    const { leaves } = batchLeaves(10n ** 17n, new Map([[A, 2n], [B, 1n], [C, 1n]]), 1);
    const tree = buildTree(leaves);
    const again = loadTree(JSON.stringify(tree.dump()));
    expect(again.root).toBe(tree.root);
    for (const [i, leaf] of again.entries()) expect(StandardMerkleTree.verify(tree.root, [...LEAF_ENCODING], leaf, again.getProof(i))).toBe(true);
    expect(StandardMerkleTree.verify(tree.root, [...LEAF_ENCODING], [A, '1'], again.getProof(0))).toBe(false);
  });
});
