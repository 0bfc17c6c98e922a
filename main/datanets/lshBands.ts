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

/**
 * One bucket key per band: two 32-bit hashes of the band's slots packed into a safe integer. The
 * hashes are FNV-1a of the slots written as decimal numbers joined by commas; the digits are fed
 * to both hashes as they are produced, without building the string (lshBucketsReference does,
 * and the tests hold the two equal).
 */
export function lshBuckets(sig: Uint32Array, banding: { bands: number; rows: number }): number[] {
  const out: number[] = [];
  const digits = new Uint8Array(10);
  for (let b = 0; b < banding.bands; b++) {
    let h1 = 0x811c9dc5;
    let h2 = 0x1234567;
    for (let r = 0; r < banding.rows; r++) {
      if (r > 0) {
        h1 = Math.imul(h1 ^ 0x2c, 0x01000193);
        h2 = Math.imul(h2 ^ 0x2c, 0x01000193);
      }
      // The decimal digits, least significant first, from two halves that fit int32 (v < 2^32:
      // hi < 42,950), so each digit is an integer division instead of a floating-point one.
      const v = sig[b * banding.rows + r]!;
      let hi = Math.floor(v / 100000);
      let lo = v - hi * 100000;
      let n = 0;
      if (hi > 0) {
        for (let k = 0; k < 5; k++) {
          digits[n++] = 0x30 + (lo % 10);
          lo = (lo / 10) | 0;
        }
        do {
          digits[n++] = 0x30 + (hi % 10);
          hi = (hi / 10) | 0;
        } while (hi > 0);
      } else {
        do {
          digits[n++] = 0x30 + (lo % 10);
          lo = (lo / 10) | 0;
        } while (lo > 0);
      }
      while (n > 0) {
        const c = digits[--n]!;
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x01000193);
      }
    }
    out.push((h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff));
  }
  return out;
}

/** lshBuckets as first written (string keys): the reference the fast version must equal. */
export function lshBucketsReference(sig: Uint32Array, banding: { bands: number; rows: number }): number[] {
  const out: number[] = [];
  for (let b = 0; b < banding.bands; b++) {
    const key = Array.from(sig.subarray(b * banding.rows, (b + 1) * banding.rows)).join(',');
    out.push(fnv1a32(key) * 0x100000 + (fnv1a32(key, 0x1234567) & 0xfffff));
  }
  return out;
}
