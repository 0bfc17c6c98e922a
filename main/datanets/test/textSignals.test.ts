import { describe, expect, it } from 'vitest';
import { bandingFor, lshBuckets } from '../lshBands';
import { estimateJaccard, minhashSignature } from '../minhashSignature';
import { normalizeText } from '../normalizeText';
import { qualitySignals } from '../qualitySignals';

describe('text signals', () => {
  it('normalises NFC, case and whitespace', () => {
    expect(normalizeText('  Cafe\u0301   AU\tLait\n')).toBe(normalizeText('café au lait'));
  });

  it('normalises whitespace exactly as replacing every \\s+ run with one space would', () => {
    // The definition normalizeText must keep (stored norm hashes depend on it), on random mixes
    // of every kind of whitespace JavaScript's \s knows, and of characters it does not.
    const reference = (t: string) => t.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
    const pieces = ['a', 'B', 'é', 'e\u0301', ' ', '  ', '\t', '\n', '\r\n', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u2009', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff', '\u0085', '\u180e', '\u200b', '😀', '\ud800'];
    let s = 3;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let i = 0; i < 5000; i++) {
      let t = '';
      for (let n = Math.floor(rand() * 30); n > 0; n--) t += pieces[Math.floor(rand() * pieces.length)];
      expect(normalizeText(t), JSON.stringify(t)).toBe(reference(t));
    }
  });

  it('MinHash estimates Jaccard similarity of word 3-shingles and LSH puts near copies in a shared bucket', () => {
    const words = Array.from({ length: 200 }, (_, i) => `w${i}`);
    const a = minhashSignature(words.join(' '));
    const b = minhashSignature([...words.slice(0, 190), ...Array.from({ length: 10 }, (_, i) => `x${i}`)].join(' '));
    const c = minhashSignature(Array.from({ length: 200 }, (_, i) => `z${i}`).join(' '));
    // True Jaccard of a and b: 188 shared of 198+198-188 = 208 shingles ≈ 0.90.
    expect(estimateJaccard(a, b)).toBeGreaterThan(0.75);
    expect(estimateJaccard(a, c)).toBeLessThan(0.1);
    const banding = bandingFor(0.8);
    expect(banding.bands * banding.rows).toBe(128);
    const shared = (x: Uint32Array, y: Uint32Array) => lshBuckets(x, banding).some((k, i) => k === lshBuckets(y, banding)[i]);
    expect(shared(a, b)).toBe(true);
    expect(shared(a, c)).toBe(false);
  });

  it('flags repetitive, symbol-heavy and non-alphabetic text, and tells English from German', () => {
    const prose = 'The committee reviewed the proposal and found that it was sound, so they approved it for the coming year with a few changes.';
    expect(qualitySignals(prose)).toMatchObject({ flags: [], language: 'en' });
    expect(qualitySignals('Der Ausschuss hat den Vorschlag geprüft und ist der Meinung, dass er nicht mit den Regeln vereinbar ist.').language).toBe('de');
    expect(qualitySignals('buy now\nbuy now\nbuy now\nbuy now').flags).toContain('repeated-lines');
    expect(qualitySignals('# # # ### ... ## #### tag').flags).toContain('symbols');
    expect(qualitySignals('12 34 56 78 90 11 22 33 ++ --').flags).toContain('non-alphabetic');
    expect(qualitySignals('hi').flags).toContain('too-short');
  });
});
