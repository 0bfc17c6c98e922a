import { describe, expect, it } from 'vitest';
import { bucketFilter } from '../bucketFilter';

describe('bucketFilter', () => {
  it('answers yes for every key added before, per band, and rarely for a new key', () => {
    const f = bucketFilter(20_000);
    let s = 7;
    const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    // Buckets as lshBuckets packs them: a 32-bit hash times 2^20 plus 20 more bits.
    const keys = Array.from({ length: 20_000 }, (_, i) => ({ band: i % 16, bucket: rand() * 0x100000 + (rand() & 0xfffff) }));
    let falseYes = 0;
    for (const k of keys) if (f.seen(k.band, k.bucket)) falseYes++;
    for (const k of keys) expect(f.seen(k.band, k.bucket)).toBe(true);
    // The same bucket in another band is another key.
    expect(f.seen(16, keys[0]!.bucket)).toBe(false);
    expect(falseYes).toBeLessThan(keys.length / 100);
  });
});
