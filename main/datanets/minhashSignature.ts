import { fmix32, fnv1a32 } from './hash32';

/** Slots per signature: the Jaccard estimate's standard error is about 1/sqrt(128) ≈ 0.09. */
export const MINHASH_SLOTS = 128;
const SHINGLE_WORDS = 3;

// Fixed seeds so signatures stored by one import compare with those of the next.
const SEEDS = Uint32Array.from({ length: MINHASH_SLOTS }, (_, i) => fmix32(0x9e3779b9 + i * 0x7f4a7c15));

/**
 * MinHash of a text's word 3-shingles (of the normalised text). Slot i is the minimum over
 * shingles of fmix32(shingleHash ^ seed_i), a random permutation of 32-bit hashes per slot, so
 * the share of equal slots of two signatures estimates the Jaccard similarity of their shingle
 * sets. A text of fewer than three words is one shingle.
 */
export function minhashSignature(normalized: string): Uint32Array {
  const words = normalized.split(' ').filter((w) => w.length > 0);
  const shingles = new Set<number>();
  if (words.length < SHINGLE_WORDS) shingles.add(fnv1a32(words.join(' ')));
  else for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) shingles.add(fnv1a32(`${words[i]} ${words[i + 1]} ${words[i + 2]}`));
  const sig = new Uint32Array(MINHASH_SLOTS).fill(0xffffffff);
  for (const h of shingles) {
    for (let s = 0; s < MINHASH_SLOTS; s++) {
      const v = fmix32(h ^ SEEDS[s]!);
      if (v < sig[s]!) sig[s] = v;
    }
  }
  return sig;
}

/** Share of equal slots: the estimated Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}
