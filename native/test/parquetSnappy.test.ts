// The engine's Snappy (native/src/parquet_snappy.cpp) against hyparquet-writer's JS compressor,
// which it replaces in the datanet snapshot writer: the bytes must be the same, or the
// snapshot's recorded sha256 would change. Inputs at the algorithm's edges: shorter than its
// 15-byte margin, hash-table sizes from 2^3 to 2^14, literals of every length class (<= 60, one to
// four length bytes), copies near 64 bytes and past 2,048 and 65,535 bytes of offset,
// incompressible runs long enough for the skip heuristic to jump, and Parquet-like pages.
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { describe, expect, it } from 'vitest';
import { loadNativeEngine } from '../../main/engine/native';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function randomBytes(rand: () => number, n: number, alphabet = 256): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rand() * alphabet);
  return out;
}

/** Text with repeats at every distance: phrases drawn from a small set, some far back. */
function repetitive(rand: () => number, n: number): Uint8Array {
  const phrases = Array.from({ length: 40 }, () => Buffer.from(randomBytes(rand, 3 + Math.floor(rand() * 90), 26).map((b) => 97 + b)));
  const parts: Buffer[] = [];
  let len = 0;
  while (len < n) {
    const p = rand() < 0.1 ? Buffer.from(randomBytes(rand, Math.floor(rand() * 300))) : phrases[Math.floor(rand() * phrases.length)]!;
    parts.push(p);
    len += p.length;
  }
  return new Uint8Array(Buffer.concat(parts).subarray(0, n));
}

describe('native Parquet snappy', () => {
  const engine = loadNativeEngine();
  const same = (input: Uint8Array, what: string) => expect(Buffer.from(engine.parquetSnappy(input)).equals(Buffer.from(snappyCompress(input))), what).toBe(true);

  it('is built into the engine', () => {
    expect(typeof engine.parquetSnappy, 'run npm run build:native').toBe('function');
  });

  it('writes the bytes hyparquet-writer writes, from empty to past the hash table and offset limits', () => {
    const rand = rng(11);
    for (let n = 0; n <= 40; n++) {
      same(randomBytes(rand, n), `random ${n}`);
      same(randomBytes(rand, n, 2), `two-letter ${n}`);
      same(new Uint8Array(n).fill(7), `constant ${n}`);
    }
    for (const n of [59, 60, 61, 62, 255, 256, 257, 1000, 2047, 2048, 2049, 4096, 16_383, 16_384, 16_385, 65_535, 65_536, 65_537, 70_000, 200_000]) {
      same(randomBytes(rand, n), `random ${n}`);
      same(repetitive(rand, n), `repetitive ${n}`);
      same(new Uint8Array(n).fill(0), `zeros ${n}`);
    }
    // A long incompressible stretch between repeats: the skip grows, a literal past 65,536 bytes.
    const wide = new Uint8Array(300_000);
    wide.set(repetitive(rand, 5_000), 0);
    wide.set(randomBytes(rand, 280_000), 5_000);
    wide.set(wide.subarray(0, 15_000), 285_000);
    same(wide, 'repeat after a long literal');
  });

  it('writes the bytes hyparquet-writer writes for a megabyte page of text', () => {
    const rand = rng(5);
    same(repetitive(rand, 1_100_000), 'page');
  });

  it('refuses what is not a Uint8Array', () => {
    expect(() => engine.parquetSnappy('text' as unknown as Uint8Array)).toThrow(/Uint8Array/);
  });
});
