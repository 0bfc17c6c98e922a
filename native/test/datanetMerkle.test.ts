// The engine's version Merkle tree (native/src/datanet_merkle.cpp) against @openzeppelin's
// StandardMerkleTree (the reference, and what DatanetRegistry.verifyRecord checks): the same root
// and the same proof for every value, at the sizes where the array layout's edge cases live (1, 2,
// 3, 4, 5, 7, 8: leaves split over two depths or not), at 1,000 and at random sizes, with
// duplicate leaves (a stable sort decides which copy sits where).
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { describe, expect, it } from 'vitest';
import type { RecordLeaf } from '../../main/datanets/recordLeaf';
import { merkleOf, versionMerkleBackend } from '../../main/datanets/versionMerkle';
import { loadNativeEngine } from '../../main/engine/native';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const hex = (rand: () => number, bytes: number) => `0x${Array.from({ length: bytes }, () => Math.floor(rand() * 256).toString(16).padStart(2, '0')).join('')}`;

/** n values, about a fifth of them copies of an earlier one, contributors drawn from a few (mixed case, as EIP-55 stores them). */
function leaves(n: number, seed: number): RecordLeaf[] {
  const rand = rng(seed);
  const contributors = Array.from({ length: 3 }, () => hex(rand, 20));
  contributors.push('0x70997970C51812dc3A010C7d01b50e0d17dc79C8');
  const out: RecordLeaf[] = [];
  for (let i = 0; i < n; i++) {
    if (i > 0 && rand() < 0.2) out.push([...out[Math.floor(rand() * out.length)]!]);
    else out.push([contributors[Math.floor(rand() * contributors.length)]!, hex(rand, 32)]);
  }
  return out;
}

/** The native root, and the native proof of every `every`-th value, against one reference tree. */
function compareAll(values: RecordLeaf[], every = 1) {
  const ref = StandardMerkleTree.of(values, ['address', 'bytes32']);
  expect(merkleOf(values, { backend: 'native', expected: values.length }).root, `root of ${values.length}`).toBe(ref.root);
  for (let i = 0; i < values.length; i += every) {
    expect(merkleOf(values, { backend: 'native', prove: i }), `value ${i} of ${values.length}`).toEqual({ root: ref.root, leaves: values.length, proof: ref.getProof(i) });
  }
}

describe('native version Merkle tree', () => {
  it('is built into the engine', () => {
    expect(versionMerkleBackend(), 'run npm run build:native').toBe('native');
  });

  it('gives StandardMerkleTree root and every proof at small sizes, duplicates included', () => {
    for (const n of [1, 2, 3, 4, 5, 7, 8]) for (const seed of [1, 2, 3]) compareAll(leaves(n, seed * 100 + n));
    // Every value the same: the proof of each copy is its own position's.
    const same: RecordLeaf = ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', `0x${'ab'.repeat(32)}`];
    for (const n of [2, 3, 5]) compareAll(Array.from({ length: n }, () => [...same] as RecordLeaf));
  });

  it('gives the same root and proofs at 1,000 leaves and at random sizes', () => {
    compareAll(leaves(1000, 7));
    const rand = rng(99);
    for (let k = 0; k < 6; k++) {
      const n = 1 + Math.floor(rand() * 3000);
      compareAll(leaves(n, 1000 + k), Math.max(1, Math.floor(n / 40)));
    }
  });

  it('streams more leaves than one batch', () => {
    const values = leaves(20_000, 5);
    expect(merkleOf(values, { backend: 'native', prove: 19_999 })).toEqual(merkleOf(values, { backend: 'reference', prove: 19_999 }));
  });

  it('refuses no leaves, bad hex and a proof index past the leaves, naming them', () => {
    expect(() => merkleOf([], { backend: 'native' })).toThrow(/non-zero number of leaves/);
    expect(() => merkleOf([['0x1234', `0x${'00'.repeat(32)}`]], { backend: 'native' })).toThrow(/Leaf 0: the contributor "0x1234"/);
    expect(() => merkleOf([['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', `0x${'zz'.repeat(32)}`]], { backend: 'native' })).toThrow(/Leaf 0: the record hash/);
    expect(() => merkleOf(leaves(3, 1), { backend: 'native', prove: 3 })).toThrow(/Index 3/);
    const engine = loadNativeEngine();
    expect(() => engine.datanetMerkleAdd(engine.datanetMerkleBegin(1), new Uint8Array(51))).toThrow(/52-byte/);
  });
});
