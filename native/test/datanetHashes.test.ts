// The engine's datanet hashes (native/src/datanet_hash.cpp) against the TypeScript reference
// (main/datanets: minhashSignature, keccak256 via viem) on random and adversarial records:
// the import must store exactly what the reference would, whichever path computed it.
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/datanets/canonicalJson';
import { normalizeText } from '../../main/datanets/normalizeText';
import { minhashSignature } from '../../main/datanets/minhashSignature';
import { recordHashes, recordHashesBackend } from '../../main/datanets/recordHashes';
import { loadNativeEngine } from '../../main/engine/native';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

// Code points from every UTF-8 length, spaces of several kinds, combining marks, lone surrogates.
const ALPHABET = ['a', 'b', 'Z', ' ', ' ', '  ', '\t', '\n', 'é', 'e\u0301', 'ß', 'İ', 'Σ', '中', '文', '😀', '👩‍👩‍👧', '\u00a0', '\u2028', '\ud800', '\udfff', '\u0000', '"', '\\', '{', '0'];

function randomText(rand: () => number, maxLen: number): string {
  const n = Math.floor(rand() * maxLen);
  let s = '';
  for (let i = 0; i < n; i++) s += rand() < 0.6 ? String.fromCharCode(97 + Math.floor(rand() * 6)) : ALPHABET[Math.floor(rand() * ALPHABET.length)]!;
  return s;
}

function compare(texts: string[]) {
  const batch = texts.map((t) => ({ normalized: normalizeText(t), canonical: canonicalJson({ text: t }) }));
  // The raw texts as "normalized" too: runs of spaces and edge spaces must split the same way.
  batch.push(...texts.map((t) => ({ normalized: t, canonical: t })));
  const native = recordHashes(batch, 'native');
  const reference = recordHashes(batch, 'reference');
  for (let i = 0; i < batch.length; i++) {
    expect(native[i]!.contentHash, `record ${i}: ${JSON.stringify(batch[i]!.canonical.slice(0, 80))}`).toBe(reference[i]!.contentHash);
    expect(Array.from(native[i]!.minhash), `record ${i}`).toEqual(Array.from(reference[i]!.minhash));
  }
}

describe('native datanet hashes', () => {
  it('are built into the engine', () => {
    expect(recordHashesBackend(), 'run npm run build:native').toBe('native');
  });

  it('equal the reference on random records', () => {
    const rand = rng(7);
    compare(Array.from({ length: 400 }, () => randomText(rand, 600)));
  });

  it('equal the reference on adversarial records', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i % 37}`).join(' ');
    compare([
      '',
      ' ',
      '   ',
      'one',
      'two words',
      ' two  words ',
      'three little words',
      'a a a a a a a a a a',
      '\ud800',
      'lone \udc00 surrogate \ud83d',
      '😀 😀 😀 😀',
      'Ünïcödé ÑFC e\u0301 vs é',
      'x'.repeat(135),
      'x'.repeat(136),
      'x'.repeat(137),
      'y'.repeat(272),
      words(200_000),
      'z'.repeat(1_000_000),
    ]);
  });

  it('give the reference signature with every MinHash kernel this CPU has (scalar, AVX2, AVX-512)', () => {
    const engine = loadNativeEngine();
    const rand = rng(11);
    // Shingle counts around and past the vector widths, and real-length texts.
    const texts = [...Array.from({ length: 40 }, (_, i) => Array.from({ length: i + 1 }, (_, k) => `w${(k * 7 + i) % 23}`).join(' ')), ...Array.from({ length: 60 }, () => randomText(rand, 2000))].map(normalizeText);
    const reference = texts.map((t) => Array.from(minhashSignature(t)));
    const ran: string[] = [];
    for (const kernel of ['scalar', 'avx2', 'avx512'] as const) {
      let out: { minhash: Uint32Array };
      try {
        out = engine.datanetHashes(texts, texts, kernel);
      } catch (err) {
        // Only a CPU without the instructions may skip a kernel; the scalar one always runs.
        expect(kernel).not.toBe('scalar');
        expect(String(err)).toMatch(/not available on this CPU/);
        continue;
      }
      ran.push(kernel);
      texts.forEach((_, i) => expect(Array.from(out.minhash.subarray(i * 128, (i + 1) * 128)), `${kernel}, text ${i}`).toEqual(reference[i]));
    }
    expect(ran).toContain('scalar');
    expect(() => engine.datanetHashes(texts, texts, 'sse' as 'auto')).toThrow(/unknown kernel/);
  });

  it('hash an empty batch', () => {
    expect(recordHashes([], 'native')).toEqual([]);
  });
});
