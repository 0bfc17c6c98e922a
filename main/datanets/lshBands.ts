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
 *
 * The digits come from a table (decimalDigits) instead of a division per digit: a slot v < 2^32
 * is hi·100000 + lo with hi < 42,950, so it is hi's digits, then lo's five (zero-padded) when hi
 * > 0, else lo's own. Every import record has 16 bands of 8 slots at threshold 0.8, and the
 * divisions were most of this function's ~10 µs per record.
 */
export function lshBuckets(sig: Uint32Array, banding: { bands: number; rows: number }): number[] {
  const digits = decimalDigits();
  const out: number[] = new Array(banding.bands);
  for (let b = 0; b < banding.bands; b++) {
    let h1 = 0x811c9dc5;
    let h2 = 0x1234567;
    for (let r = 0; r < banding.rows; r++) {
      if (r > 0) {
        h1 = Math.imul(h1 ^ 0x2c, 0x01000193);
        h2 = Math.imul(h2 ^ 0x2c, 0x01000193);
      }
      const v = sig[b * banding.rows + r]!;
      let from: number;
      let lo: number;
      if (v >= 100000) {
        const hi = Math.floor(v / 100000);
        lo = v - hi * 100000;
        // hi's own digits (no leading zeros), then lo's five.
        for (let i = hi * 5 + 5 - digits.length[hi]!, end = hi * 5 + 5; i < end; i++) {
          const c = digits.ascii[i]!;
          h1 = Math.imul(h1 ^ c, 0x01000193);
          h2 = Math.imul(h2 ^ c, 0x01000193);
        }
        from = lo * 5;
      } else {
        lo = v;
        from = lo * 5 + 5 - digits.length[lo]!;
      }
      for (let i = from, end = lo * 5 + 5; i < end; i++) {
        const c = digits.ascii[i]!;
        h1 = Math.imul(h1 ^ c, 0x01000193);
        h2 = Math.imul(h2 ^ c, 0x01000193);
      }
    }
    out[b] = (h1 >>> 0) * 0x100000 + ((h2 >>> 0) & 0xfffff);
  }
  return out;
}

let digitTable: { ascii: Uint8Array; length: Uint8Array } | null = null;

/** Every n < 100000 as five ASCII digits, zero-padded (ascii[5n..5n+5)), and its own digit count. */
function decimalDigits(): { ascii: Uint8Array; length: Uint8Array } {
  if (digitTable) return digitTable;
  const ascii = new Uint8Array(100000 * 5);
  const length = new Uint8Array(100000);
  for (let n = 0; n < 100000; n++) {
    const s = String(n);
    length[n] = s.length;
    const padded = s.padStart(5, '0');
    for (let i = 0; i < 5; i++) ascii[n * 5 + i] = padded.charCodeAt(i);
  }
  digitTable = { ascii, length };
  return digitTable;
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
