/**
 * A Bloom filter over (band, bucket) LSH keys: `seen` adds a key and says whether it may have
 * been added before. "No" is certain; "yes" is wrong for a small share of keys (false
 * positives), so a caller uses it only to skip work whose result it would check anyway.
 *
 * Sized for `expectedKeys` at 16 bits per key with 5 probes (about 0.15% false positives at that
 * many keys, more beyond it), between 2^16 and 2^28 bits (32 MiB): memory stays bounded at any
 * number of keys, the false positives grow past 16M keys.
 */
export function bucketFilter(expectedKeys: number): { seen: (band: number, bucket: number) => boolean } {
  let bits = 1 << 16;
  while (bits < expectedKeys * 16 && bits < 1 << 28) bits *= 2;
  const words = new Int32Array(bits >>> 5);
  const mask = bits - 1;
  const seen = (band: number, bucket: number): boolean => {
    // A bucket is two 32-bit hashes packed (lshBuckets): mix both halves and the band into the
    // two hashes of double hashing.
    const hi = Math.floor(bucket / 0x100000);
    const lo = bucket - hi * 0x100000;
    let a = Math.imul(hi ^ Math.imul(band + 1, 0x9e3779b1), 0x85ebca6b);
    a = Math.imul(a ^ (a >>> 13) ^ lo, 0xc2b2ae35);
    a ^= a >>> 16;
    let b = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2f) ^ band, 0x165667b1);
    b = (b ^ (b >>> 15)) | 1;
    let present = true;
    for (let k = 0; k < 5; k++) {
      const i = (a + Math.imul(k, b)) & mask;
      const w = i >>> 5;
      const bit = 1 << (i & 31);
      if ((words[w]! & bit) === 0) {
        present = false;
        words[w]! |= bit;
      }
    }
    return present;
  };
  return { seen };
}
