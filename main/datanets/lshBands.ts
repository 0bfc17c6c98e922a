import { fnv1a32 } from './hash32';
import { MINHASH_SLOTS } from './minhashSignature';

/**
 * Banding for a Jaccard threshold t: b bands of r slots (b·r = 128) put two signatures in one
 * bucket with probability 1-(1-s^r)^b, an S-curve whose midpoint is near (1/b)^(1/r). We take the
 * (b, r) whose midpoint is the highest one still at or below t, so pairs at the threshold are
 * found with high probability; candidates are then checked against t with the full signature.
 */
export function bandingFor(threshold: number): { bands: number; rows: number } {
  let best = { bands: MINHASH_SLOTS, rows: 1, mid: 0 };
  for (let rows = 1; rows <= MINHASH_SLOTS; rows++) {
    if (MINHASH_SLOTS % rows !== 0) continue;
    const bands = MINHASH_SLOTS / rows;
    const mid = Math.pow(1 / bands, 1 / rows);
    if (mid <= threshold - 0.05 && mid > best.mid) best = { bands, rows, mid };
  }
  return { bands: best.bands, rows: best.rows };
}

/** One bucket key per band: two 32-bit hashes of the band's slots packed into a safe integer. */
export function lshBuckets(sig: Uint32Array, banding: { bands: number; rows: number }): number[] {
  const out: number[] = [];
  for (let b = 0; b < banding.bands; b++) {
    const key = Array.from(sig.subarray(b * banding.rows, (b + 1) * banding.rows)).join(',');
    out.push(fnv1a32(key) * 0x100000 + (fnv1a32(key, 0x1234567) & 0xfffff));
  }
  return out;
}
