// The engine's one-pass staging call (datanetStageSignals: native/src/datanet_binding.cpp with
// datanet_text, datanet_hash and datanet_sha256) against the TypeScript reference on every field
// it answers: normalizeText + node:crypto SHA-256 (normHash), minhashSignature, viem's keccak256
// (contentHash), qualitySignals and detectPii. An import must stage the same bytes whichever path
// computed them (stageImport.test.ts checks a whole staging file both ways).
import { describe, expect, it } from 'vitest';
import { sotuPassages } from '../demo/sotuPassages';
import { canonicalJson } from '../canonicalJson';
import { normHashOf } from '../computeRecordSignals';
import { detectPii } from '../detectPii';
import { contentHashOf } from '../mapRow';
import { minhashSignature } from '../minhashSignature';
import { normalizeText } from '../normalizeText';
import { qualitySignals } from '../qualitySignals';
import { stageSignals, stageSignalsAvailable } from '../stageSignals';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const isAscii = (t: string) => Array.from(t).every((c) => c.charCodeAt(0) < 0x80);

// Every ASCII whitespace JS's \s knows, the control characters it does not (\x1c-\x1f, \x00,
// \x7f), capitals, and non-ASCII neighbours (NBSP, U+2028, combining marks, astral, lone surrogates).
const PIECES = ['a', 'B', 'zz', 'The', 'QUICK', 'don\'t', '42', '#', '...', '@', 'x@y.org', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', ' \t\n ', '\x00', '\x1c', '\x1f', '\x7f', '"', '\\', '{}',
  '\u00a0', '\u2028', 'e\u0301', 'É', 'İ', 'ß', '😀', '\ud800', '\udfff', '\ufeff'];

function randomText(rand: () => number, maxPieces: number, asciiOnly: boolean): string {
  const n = Math.floor(rand() * maxPieces);
  const pool = asciiOnly ? PIECES.filter(isAscii) : PIECES;
  let s = '';
  for (let i = 0; i < n; i++) s += pool[Math.floor(rand() * pool.length)];
  return s;
}

/** Native and reference agree on every record; returns how many the engine handled in full. */
function compare(texts: string[], sha256Kernel?: 'auto' | 'scalar' | 'shani'): number {
  const canonical = texts.map((t) => canonicalJson({ text: t, n: t.length }));
  const out = stageSignals(texts, canonical, sha256Kernel);
  let handled = 0;
  texts.forEach((text, i) => {
    const what = `text ${i}: ${JSON.stringify(text.slice(0, 100))}`;
    const r = out[i]!;
    expect(r.contentHash, what).toBe(contentHashOf(canonical[i]!));
    if (!r.ascii) {
      expect(isAscii(text), `${what} is ASCII but was not handled`).toBe(false);
      return;
    }
    expect(isAscii(text), `${what} is not ASCII but was handled`).toBe(true);
    handled++;
    const normalized = normalizeText(text);
    expect(r.ascii.normHash, what).toBe(normHashOf(normalized));
    expect(Array.from(r.ascii.minhash), what).toEqual(Array.from(minhashSignature(normalized)));
    expect(r.ascii.text.quality, what).toEqual(qualitySignals(text));
    expect(detectPii(text, r.ascii.text.piiCandidates), what).toEqual(detectPii(text));
  });
  return handled;
}

describe('native staging signals', () => {
  it('are built into the engine', () => {
    expect(stageSignalsAvailable(), 'run npm run build:native').toBe(true);
  });

  it('equal the reference on random ASCII and mixed texts', () => {
    const rand = rng(5);
    const ascii = Array.from({ length: 600 }, (_, i) => randomText(rand, i % 20 === 0 ? 3000 : 300, true));
    expect(compare(ascii)).toBe(ascii.length);
    const mixed = Array.from({ length: 400 }, () => randomText(rand, 300, false));
    compare(mixed);
  });

  it('equal the reference on edge cases: empty, all whitespace, short, long, block boundaries', () => {
    const texts = ['', ' ', '\t\n\v\f\r ', '\x1c\x1d\x1e\x1f', 'A', ' Hello  World\n', 'HELLO\tworld', 'one two', 'one two three', '  lead and trail  ', 'x'.repeat(5000), 'w '.repeat(100_000)];
    // Normalised lengths around SHA-256's 55/56/64-byte padding edges and keccak's 136-byte rate.
    for (let n = 50; n <= 140; n++) texts.push('Ab'.repeat(n).slice(0, n), `${'c'.repeat(n)}\n`);
    expect(compare(texts)).toBe(texts.length);
    expect(stageSignals([], [])).toEqual([]);
  });

  it('give node:crypto\'s SHA-256 with each kernel this CPU has (portable, SHA-NI)', () => {
    const rand = rng(9);
    const texts = Array.from({ length: 200 }, (_, i) => 'k'.repeat(i) + randomText(rand, 40, true));
    const ran: string[] = [];
    for (const kernel of ['scalar', 'shani'] as const) {
      try {
        expect(compare(texts, kernel)).toBe(texts.length);
        ran.push(kernel);
      } catch (err) {
        // Only a CPU without the instructions may skip SHA-NI; the portable one always runs.
        expect(kernel).not.toBe('scalar');
        expect(String(err)).toMatch(/not available on this CPU/);
      }
    }
    expect(ran).toContain('scalar');
    expect(() => stageSignals(['a'], ['a'], 'avx' as 'auto')).toThrow(/unknown sha256 kernel/);
  });

  it('equal the reference on real prose, as written and folded to ASCII', () => {
    const passages = sotuPassages().slice(0, 400).map((p) => p.text);
    const folded = passages.map((t) => t.normalize('NFKD').replace(/[^\t\n\r -~]/g, "'"));
    expect(compare(folded)).toBe(folded.length);
    compare(passages);
  });
});
