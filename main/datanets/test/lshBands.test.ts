import { describe, expect, it } from 'vitest';
import { bandingFor, lshBuckets, lshBucketsReference } from '../lshBands';
import { MINHASH_SLOTS } from '../minhashSignature';

describe('lshBuckets', () => {
  it('equals the string-key reference for every banding and for extreme slot values', () => {
    let s = 99;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    const sigs = [
      new Uint32Array(MINHASH_SLOTS),
      new Uint32Array(MINHASH_SLOTS).fill(0xffffffff),
      Uint32Array.from({ length: MINHASH_SLOTS }, (_, i) => 10 ** (i % 10)),
      Uint32Array.from({ length: MINHASH_SLOTS }, (_, i) => 10 ** (i % 10) - 1),
      ...Array.from({ length: 50 }, () => Uint32Array.from({ length: MINHASH_SLOTS }, () => rand() >>> (rand() % 32))),
    ];
    for (const threshold of [0.3, 0.5, 0.8, 0.9, 1]) {
      const banding = bandingFor(threshold);
      for (const sig of sigs) expect(lshBuckets(sig, banding)).toEqual(lshBucketsReference(sig, banding));
    }
    for (const rows of [1, 2, 4, 8, 16, 32, 64, 128]) {
      const banding = { bands: MINHASH_SLOTS / rows, rows };
      for (const sig of sigs) expect(lshBuckets(sig, banding)).toEqual(lshBucketsReference(sig, banding));
    }
  });
});
