import { describe, expect, it } from 'vitest';
import { engine } from './helpers/engine.js';
import { rng } from './helpers/tinyModels.js';

// The slow reference: every suffix start, sorted by comparing the suffixes symbol by symbol (a
// suffix that is a prefix of another sorts first).
function sortedSuffixes(text: ArrayLike<number>): number[] {
  const n = text.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  return idx.sort((a, b) => {
    for (;;) {
      if (a === n) return -1;
      if (b === n) return 1;
      const d = text[a]! - text[b]!;
      if (d !== 0) return d;
      a++;
      b++;
    }
  });
}

describe('suffixArray (SA-IS)', () => {
  it('equals the plain sort on random texts over small and large alphabets', () => {
    const r = rng(7);
    for (let trial = 0; trial < 400; trial++) {
      const n = Math.floor(r() * 200);
      const k = [1, 2, 3, 5, 50, 60_000][trial % 6]!;
      const text = Int32Array.from({ length: n }, () => Math.floor(r() * k));
      expect(Array.from(engine.suffixArray(text, k)), `trial ${trial} (n ${n}, alphabet ${k})`).toEqual(sortedSuffixes(text));
    }
  });

  it('equals the plain sort on adversarial texts: runs, periodic, Fibonacci words, sorted and reversed', () => {
    const fib = (n: number): number[] => {
      let a = [0], b = [0, 1];
      while (b.length < n) [a, b] = [b, [...b, ...a]];
      return b.slice(0, n);
    };
    const cases: Record<string, number[]> = {
      empty: [],
      single: [4],
      run: Array(300).fill(2),
      runThenLess: [...Array(100).fill(3), 1],
      periodic: Array.from({ length: 301 }, (_, i) => [1, 2, 1, 3][i % 4]!),
      squares: Array.from({ length: 256 }, (_, i) => (i % 16 < 8 ? 1 : 0)),
      fibonacci: fib(610),
      increasing: Array.from({ length: 200 }, (_, i) => i),
      decreasing: Array.from({ length: 200 }, (_, i) => 199 - i),
      // documents separated by a reserved id (the largest symbol), repeated documents
      documents: [9, 1, 2, 3, 9, 1, 2, 3, 9, 1, 2, 9, 3, 3, 3, 9, 1, 2, 3],
    };
    for (const [name, t] of Object.entries(cases)) {
      const text = Int32Array.from(t);
      const k = Math.max(1, ...t) + 1;
      expect(Array.from(engine.suffixArray(text, k)), name).toEqual(sortedSuffixes(text));
    }
  });

  it('sorts 200k random tokens into a permutation whose neighbours are in order', () => {
    const r = rng(11);
    const n = 200_000;
    // Zipf-like ids with long repeats, as real token streams have.
    const text = Int32Array.from({ length: n }, (_, i) => (i % 997 < 40 ? i % 37 : Math.floor(1 / (r() + 1e-4))));
    const sa = engine.suffixArray(text, 10_001);
    const seen = new Uint8Array(n);
    for (const p of sa) seen[p] = 1;
    expect(seen.every((x) => x === 1)).toBe(true);
    const less = (a: number, b: number): boolean => {
      for (;;) {
        if (a === n) return true;
        if (b === n) return false;
        if (text[a] !== text[b]) return text[a]! < text[b]!;
        a++;
        b++;
      }
    };
    for (let i = 1; i < n; i++) if (!less(sa[i - 1]!, sa[i]!)) throw new Error(`suffixes ${sa[i - 1]} and ${sa[i]} out of order at rank ${i}`);
  });

  it('rejects symbols outside the alphabet with the position', () => {
    expect(() => engine.suffixArray(Int32Array.from([0, 1, 5]), 3)).toThrow(/symbol 5 at 2 is outside \[0, 3\)/);
    expect(() => engine.suffixArray(Int32Array.from([0, -1]), 3)).toThrow(/symbol -1 at 1/);
  });
});

describe('tokenSuffixTable (infini-gram layout)', () => {
  const readTable = (t: Uint8Array, ptr: number): number[] => {
    const out: number[] = [];
    for (let i = 0; i < t.length; i += ptr) {
      let v = 0;
      for (let k = ptr - 1; k >= 0; k--) v = v * 256 + t[i + k]!;
      out.push(v);
    }
    return out;
  };
  // memcmp order of the suffixes of the file, keeping token-aligned starts: infini-gram's order.
  const byteOrder = (bytes: Uint8Array, width: number): number[] => {
    const n = bytes.length / width;
    const starts = Array.from({ length: n }, (_, i) => i * width);
    return starts.sort((a, b) => Buffer.compare(bytes.subarray(a), bytes.subarray(b)));
  };

  it('orders 2- and 4-byte token files as memcmp does and stores byte offsets in ptrSize bytes', () => {
    const r = rng(5);
    for (const width of [2, 4] as const) {
      for (let trial = 0; trial < 40; trial++) {
        const n = 1 + Math.floor(r() * 300);
        const ids = Array.from({ length: n }, () => (r() < 0.1 ? (width === 2 ? 0xffff : 0xffffffff) : Math.floor(r() * (trial % 2 ? 700 : 70_000)) % (width === 2 ? 0xffff : 2 ** 31)));
        const bytes = new Uint8Array(n * width);
        const dv = new DataView(bytes.buffer);
        ids.forEach((t, i) => (width === 2 ? dv.setUint16(i * 2, t, true) : dv.setUint32(i * 4, t >>> 0, true)));
        for (const ptr of [4, 5]) {
          expect(readTable(engine.tokenSuffixTable(bytes, width, ptr, 2), ptr), `width ${width} trial ${trial} ptr ${ptr}`).toEqual(byteOrder(bytes, width));
        }
      }
    }
  });

  // A token file as writeSpanIndex lays it out: a separator (all ones) before each document of
  // Zipf-like ids, some documents repeating a passage of an earlier one.
  const tokenFile = (seed: number, tokens: number, width: 2 | 4): Uint8Array => {
    const r = rng(seed);
    const sep = width === 2 ? 0xffff : 0xffffffff;
    const ids: number[] = [];
    const starts: number[] = [];
    while (ids.length < tokens) {
      const len = 20 + Math.floor(r() * 200);
      starts.push(ids.length + 1);
      ids.push(sep);
      const copy = starts.length > 3 && r() < 0.3 ? starts[Math.floor(r() * (starts.length - 1))]! : -1;
      for (let i = 0; i < len; i++) ids.push(copy >= 0 && i < 60 ? ids[copy + i]! : Math.floor(1 / (r() + 2e-5)) % 50_000);
    }
    const bytes = new Uint8Array(ids.length * width);
    const dv = new DataView(bytes.buffer);
    ids.forEach((t, i) => (width === 2 ? dv.setUint16(i * 2, t, true) : dv.setUint32(i * 4, t >>> 0, true)));
    return bytes;
  };
  const inByteOrder = (bytes: Uint8Array, table: number[]): void => {
    const seen = new Uint8Array(bytes.length);
    for (const o of table) seen[o] = 1;
    expect(table.every((o) => seen[o] === 1) && new Set(table).size === table.length).toBe(true);
    for (let i = 1; i < table.length; i++)
      if (Buffer.compare(bytes.subarray(table[i - 1]!), bytes.subarray(table[i]!)) >= 0) throw new Error(`suffixes at bytes ${table[i - 1]} and ${table[i]} out of order at rank ${i}`);
  };

  it('builds byte-identical tables on 1, 2 and 3 threads, in memcmp order', () => {
    for (const width of [2, 4] as const) {
      const bytes = tokenFile(width, 300_000, width);
      const one = engine.tokenSuffixTable(bytes, width, 4, 1);
      inByteOrder(bytes, readTable(one, 4));
      for (const threads of [2, 3]) expect(Buffer.compare(engine.tokenSuffixTable(bytes, width, 4, threads), one), `width ${width}, ${threads} threads`).toBe(0);
    }
  });

  it('orders tiny files and repetitive ones (one long run of a token, a repeated document) on any thread count', () => {
    const file = (ids: number[]): Uint8Array => new Uint8Array(Uint16Array.from(ids).buffer);
    const doc = Array.from({ length: 50 }, (_, i) => (i * 7) % 13);
    const cases: Record<string, number[]> = {
      one: [7],
      two: [3, 3],
      three: [0xffff, 2, 1],
      repeatedDocument: Array.from({ length: 40 }, () => [0xffff, ...doc]).flat(),
      periodic: Array.from({ length: 5000 }, (_, i) => [1, 2, 1, 3][i % 4]!),
    };
    for (const [name, ids] of Object.entries(cases)) {
      const bytes = file(ids);
      for (const threads of [1, 2, 4]) expect(readTable(engine.tokenSuffixTable(bytes, 2, 4, threads), 4), `${name}, ${threads} threads`).toEqual(byteOrder(bytes, 2));
    }
    // One document of 200,000 copies of one token: a shorter suffix of the run sorts first, the
    // separator (the largest token) last.
    const n = 200_001;
    const run = file([0xffff, ...Array<number>(n - 1).fill(5)]);
    const expected = [...Array.from({ length: n - 1 }, (_, i) => 2 * (n - 1 - i)), 0];
    for (const threads of [1, 2]) expect(readTable(engine.tokenSuffixTable(run, 2, 4, threads), 4), `run, ${threads} threads`).toEqual(expected);
  });

  it('refuses pointers too small for the file and odd byte lengths', () => {
    expect(() => engine.tokenSuffixTable(new Uint8Array(600), 2, 1)).toThrow(/1-byte pointers cannot address 600 bytes/);
    expect(() => engine.tokenSuffixTable(new Uint8Array(7), 2, 4)).toThrow(/not a multiple of 2/);
  });
});
