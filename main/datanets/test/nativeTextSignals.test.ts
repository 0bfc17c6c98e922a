// The engine's one-pass text signals (native/src/datanet_text.cpp) against the TypeScript
// reference (qualitySignals, detectPii with every detector) on real, varied and adversarial texts:
// an import must store exactly what the reference would, whichever path computed it.
import { describe, expect, it } from 'vitest';
import { english, generateMnemonic } from 'viem/accounts';
import { sotuPassages } from '../demo/sotuPassages';
import { isBip39Mnemonic } from '../checkSeedPhrase';
import { detectPii, PII_CANDIDATE } from '../detectPii';
import { nativeTextSignals, nativeTextSignalsAvailable } from '../nativeTextSignals';
import { qualitySignals } from '../qualitySignals';

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const isAscii = (t: string) => [...t].every((c) => c.charCodeAt(0) < 0x80);

/** Native and reference agree on every text; returns how many the engine handled. */
function compare(texts: string[]): number {
  const native = nativeTextSignals(texts);
  let handled = 0;
  texts.forEach((text, i) => {
    const n = native[i];
    const what = `text ${i}: ${JSON.stringify(text.slice(0, 120))}`;
    if (!n) {
      expect(isAscii(text), `${what} is ASCII but was not handled`).toBe(false);
      return;
    }
    handled++;
    expect(n.quality, what).toEqual(qualitySignals(text));
    expect(detectPii(text, n.piiCandidates), what).toEqual(detectPii(text));
    // Each cleared bit is a promise that its detector finds nothing, even alone.
    for (const bit of Object.values(PII_CANDIDATE)) if ((n.piiCandidates & bit) === 0) expect(detectPii(text, bit), `${what}, detector bit ${bit}`).toEqual([]);
  });
  return handled;
}

// Valid and near-miss shapes of every PII kind the detectors know.
function piiSnippets(rand: () => number): string[] {
  const phrase = generateMnemonic(english);
  const words = phrase.split(' ');
  const broken = english.map((w) => [...words.slice(0, 11), w]).find((ws) => !isBip39Mnemonic(ws))!.join(' ');
  const phrase24 = generateMnemonic(english, 256);
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdefABCDEF'[Math.floor(rand() * 22)]).join('');
  return [
    'ada@example.org', 'x.y+tag@sub.domain.co', 'not@an', '@@', 'a@b.c',
    '+44 20 7946 0958', '(555) 123-4567', '555-1234', '+1 (212) 555-0100 ext', '1234567', '12345678901234567890',
    '4111 1111 1111 1111', '4111-1111-1111-1111', '4111111111111112', '4111  1111 1111 1111', '378282246310005', '-4111111111111111-',
    'GB82WEST12345698765432', 'GB82 WEST 1234 5698 7654 32', 'GB82WEST12345698765433', 'DE89370400440532013000', 'XX00',
    '192.168.1.20', '999.1.1.1', '10.0.0.256', '1.2.3', '3.14 and 2.71 and 1.41',
    '2001:0db8:85a3:0000:0000:8a2e:0370:7334', 'fe80:0:0:0:0:0:0:1', 'a:b:c:d:e:f:g',
    `0x${'ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'}`, 'f'.repeat(64), hex(64), hex(63), hex(65), `0x${hex(64)}`,
    phrase, broken, phrase24, phrase.toUpperCase(), words.join('  \n'), words.join(', '), words.slice(0, 11).join(' '),
    'AKIAIOSFODNN7EXAMPLE', 'ASIAABCDEFGHIJKLMNOP', `ghp_${'a'.repeat(36)}`, `github_pat_${'B'.repeat(70)}`, `glpat-${'c'.repeat(20)}`,
    `sk_live_${'d'.repeat(30)}`, `pk_test_${'E'.repeat(24)}`, `AIza${'f'.repeat(35)}`, 'xoxb-1234567890-abcdef', `sk-proj-${'g'.repeat(40)}`, `sk-${'h'.repeat(31)}`,
  ];
}

const ASCII_PIECES = ['the', 'The', 'THE', 'of', 'and', 'de', 'la', 'het', 'een', 'der', 'und', 'que', 'il', 'o', "don't", 'co-op', 'snake_case', '--', "''", '_', '-',
  '#', '##', '...', '....', '.....', '!', '?!', '(', ')', '[x]', '{', '}', '"', '\\', '/', '@', ':', ';', '+', '$3,000', '1945', '42', '3.5', 'A1', 'x9',
  ' ', '  ', '\t', '\n', '\n\n', '\r\n', '\v', '\f', ' \n ', '\x00', '\x01', '\x1f', '\x7f', '~'];

function randomAscii(rand: () => number, pii: string[], maxPieces: number): string {
  const n = Math.floor(rand() * maxPieces);
  let s = '';
  for (let i = 0; i < n; i++) {
    const r = rand();
    s += r < 0.05 ? pii[Math.floor(rand() * pii.length)] : ASCII_PIECES[Math.floor(rand() * ASCII_PIECES.length)];
    if (rand() < 0.6) s += rand() < 0.9 ? ' ' : '\n';
  }
  return s;
}

describe('native datanet text signals', () => {
  it('are built into the engine', () => {
    expect(nativeTextSignalsAvailable(), 'run npm run build:native').toBe(true);
  });

  it('equal the reference on every PII kind, valid and near misses, in context', () => {
    const rand = rng(7);
    const pii = piiSnippets(rand);
    const texts = pii.flatMap((p) => [p, `call me: ${p}.`, `${p}${p}`, `x${p}x`, `(${p})`, `${p}\n${p}`]);
    expect(compare(texts)).toBe(texts.length);
  });

  it('equal the reference on random ASCII texts full of edge characters', () => {
    const rand = rng(11);
    const pii = piiSnippets(rand);
    const texts = Array.from({ length: 1500 }, (_, i) => randomAscii(rand, pii, i % 10 === 0 ? 2000 : 200));
    // Repetition: repeated lines and 2-grams with ties between equally frequent grams.
    texts.push('buy now\nbuy now\nbuy now\nbuy now', 'a b a b c d c d', 'c d a b c d a b', 'x y\n  x y  \n\tx y\t', '', ' ', '\n\n\n', 'hi');
    expect(compare(texts)).toBe(texts.length);
  });

  it('hand non-ASCII texts back to the reference and equal it on real prose', () => {
    const passages = sotuPassages().slice(0, 600).map((p) => p.text);
    // The corpus as written (curly quotes, dashes: some passages go to the reference) and folded to ASCII.
    const folded = passages.map((t) => t.normalize('NFKD').replace(/[^\t\n\r -~]/g, "'"));
    expect(compare(folded)).toBe(folded.length);
    compare(passages);
    expect(nativeTextSignals(['café', 'naïve 😀', '\u00a0x', 'Σ', '\ud800'])).toEqual([null, null, null, null, null]);
  });

  it('reports the same language as the reference for each stop-word language', () => {
    const texts = [
      'the cat and the dog were in the garden with the children',
      'der Hund und die Katze sind nicht auf dem Tisch, das ist eine Regel',
      'le chat et la souris sont dans la maison pour le soir',
      'el perro y la casa de los amigos con una mesa para todos',
      'il gatto e la casa di una amica per il giorno con gli amici',
      'de kat en het huis van een vriend zijn niet op de tafel',
      'o gato e os amigos de uma casa para o dia com as mesas',
      'de la que el en', 'the the de de', 'la la le le',
    ];
    expect(compare(texts)).toBe(texts.length);
  });
});
