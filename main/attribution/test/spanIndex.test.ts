// The span index on disk (writeSpanIndex/openSpanIndex) with the real native engine, and span
// finding (findSpans) against a slow reference that scans the documents token by token.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { loadNativeEngine } from '../../engine/native/index';
import { findSpans, SuffixSearcher, wordBoundaries } from '../findSpans';
import { openSpanIndex, StaleSpanIndexError } from '../openSpanIndex';
import { TABLE_FILE, TOKENS_FILE, HEADER_FILE } from '../spanIndexFormat';
import { writeSpanIndex, type IndexDocument } from '../writeSpanIndex';

const engine = loadNativeEngine();
const ROOT = '0x' + 'ab'.repeat(32);
const FP = 'cd'.repeat(32);
const A = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const B = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function build(docs: IndexDocument[], vocabSize = 1000, opts: { ptrSize?: number } = {}) {
  const dir = path.join(tempDir(), 'idx');
  writeSpanIndex(engine, dir, docs, { datanet: { name: 'd', version: 1, root: ROOT }, tokenizer: { fingerprint: FP, vocabSize } }, opts);
  return { dir, index: openSpanIndex(engine, dir, { datanetRoot: ROOT, tokenizerFingerprint: FP }) };
}

/** Reference: longest prefix of q[i..] inside any document, by direct scan. */
function naiveLongest(docs: number[][], q: number[], i: number): number {
  let best = 0;
  for (const d of docs)
    for (let s = 0; s < d.length; s++) {
      let k = 0;
      while (i + k < q.length && s + k < d.length && d[s + k] === q[i + k]) k++;
      best = Math.max(best, k);
    }
  return best;
}

function naiveOccurrences(docs: number[][], span: number[]): { count: number; docs: number[] } {
  let count = 0;
  const found = new Set<number>();
  docs.forEach((d, di) => {
    for (let s = 0; s + span.length <= d.length; s++)
      if (span.every((t, k) => d[s + k] === t)) {
        count++;
        found.add(di);
      }
  });
  return { count, docs: [...found].sort((a, b) => a - b) };
}

describe('span index files', () => {
  it('round-trips documents: tokens with separators, offsets, records and contributors', () => {
    const { index } = build([
      { record: 'r1', contributor: A, ids: [5, 6, 7] },
      { record: 'r2', contributor: B, ids: [7, 5] },
      { record: 'r3', contributor: A, ids: [] },
    ]);
    expect(Array.from(index.tokens)).toEqual([0xffff, 5, 6, 7, 0xffff, 7, 5, 0xffff]);
    expect(Array.from(index.docStarts)).toEqual([0, 4, 7]);
    expect(index.header.records).toEqual(['r1', 'r2', 'r3']);
    expect(index.header.recordContributor.map((c) => index.header.contributors[c])).toEqual([A, B, A]);
    expect(index.header.tokenWidth).toBe(2);
    // 2-byte tokens and 4-byte pointers: 6 bytes per indexed token, plus 8 per document.
    expect(index.header.files[TOKENS_FILE].bytes + index.header.files[TABLE_FILE].bytes).toBe(6 * index.size);
  });

  it('refuses a corrupt or stale index with the reason, and never returns it', () => {
    const docs = [{ record: 'r1', contributor: A, ids: [1, 2, 3, 4] }];
    const { dir } = build(docs);
    const expected = { datanetRoot: ROOT, tokenizerFingerprint: FP };
    expect(() => openSpanIndex(engine, dir, { ...expected, datanetRoot: '0x' + '00'.repeat(32) })).toThrow(/built for datanet root 0xabab/);
    expect(() => openSpanIndex(engine, dir, { ...expected, tokenizerFingerprint: 'ee'.repeat(32) })).toThrow(/another tokenizer/);
    // One flipped byte of the suffix table, same size: caught by its checksum.
    const table = path.join(dir, TABLE_FILE);
    const bytes = fs.readFileSync(table);
    bytes[0] = bytes[0]! ^ 1;
    fs.writeFileSync(table, bytes);
    fs.utimesSync(table, new Date(), new Date(Date.now() + 5000));
    expect(() => openSpanIndex(engine, dir, expected)).toThrow(StaleSpanIndexError);
    expect(() => openSpanIndex(engine, dir, expected)).toThrow(/table.0: checksum mismatch/);
    const { dir: dir2 } = build(docs);
    fs.truncateSync(path.join(dir2, TOKENS_FILE), 4);
    expect(() => openSpanIndex(engine, dir2, expected)).toThrow(/tokenized.0 is 4 bytes, the header says 10/);
    fs.writeFileSync(path.join(dir2, HEADER_FILE), '{"format": "studio-span-index/1",');
    expect(() => openSpanIndex(engine, dir2, expected)).toThrow(/unreadable header/);
    fs.rmSync(path.join(dir2, HEADER_FILE));
    expect(() => openSpanIndex(engine, dir2, expected)).toThrow(/no header/);
  });

  it('uses 4-byte tokens for vocabularies of 65535 ids or more, and reads 5-byte pointers', () => {
    const { index } = build([{ record: 'r', contributor: A, ids: [70_000, 1, 70_000, 2] }], 100_000, { ptrSize: 5 });
    expect(index.header.tokenWidth).toBe(4);
    expect(index.header.ptrSize).toBe(5);
    const s = new SuffixSearcher(index);
    const [lo, hi] = s.range([70_000]);
    expect(hi - lo).toBe(2);
    expect(s.longestPrefix([70_000, 2, 9], 0)).toBe(2);
  });
});

describe('findSpans', () => {
  // Token id t has the text " w<t>" (a word start) when t is even, "x<t>" (a continuation) when odd.
  const text = (t: number) => (t % 2 === 0 ? ` w${t}` : `x${t}`);

  for (const [label, vocab, width] of [['2-byte tokens', 1000, 2], ['4-byte tokens', 80_000, 4]] as const) {
    it(`matches the document scan on random data with copied passages (${label})`, () => {
      const r = rng(width);
      // ids on both sides of a byte boundary (255/256, 65535/65536), where memcmp order differs from numeric order
      const pick = () => (width === 2 ? 250 + Math.floor(r() * 12) : 65_530 + Math.floor(r() * 12));
      const docs = Array.from({ length: 30 }, () => Array.from({ length: 5 + Math.floor(r() * 60) }, pick));
      const { index } = build(
        docs.map((ids, i) => ({ record: `r${i}`, contributor: i % 2 ? A : B, ids })),
        vocab,
      );
      const s = new SuffixSearcher(index);
      for (let trial = 0; trial < 25; trial++) {
        // A response mixing random tokens and passages copied from documents.
        const q: number[] = [];
        while (q.length < 60) {
          if (r() < 0.5) q.push(pick());
          else {
            const d = docs[Math.floor(r() * docs.length)]!;
            const a = Math.floor(r() * d.length);
            q.push(...d.slice(a, a + 1 + Math.floor(r() * 15)));
          }
        }
        const texts = q.map(text);
        const { matchLength, spans } = findSpans(s, q, texts, { maxDocuments: 100 });
        const longest = q.map((_, i) => naiveLongest(docs, q, i));
        // Longest match ending at j, by brute force over starts.
        const ending = q.map((_, j) => {
          let best = 0;
          for (let i = 0; i <= j; i++) if (longest[i]! >= j - i + 1) best = Math.max(best, j - i + 1);
          return best;
        });
        expect(matchLength, `trial ${trial}`).toEqual(ending);
        // Spans by the rules, from the brute-force longest matches.
        const b = wordBoundaries(texts);
        const want: { start: number; end: number; occurrences: number; documents: number[] }[] = [];
        for (let i = 0; i < q.length; i++) {
          if (!b[i]) continue;
          let e = i + longest[i]!;
          while (e > i && !b[e]) e--;
          if (e - i < 2) continue;
          if (want.some((w) => w.start <= i && w.end >= e)) continue;
          const occ = naiveOccurrences(docs, q.slice(i, e));
          want.push({ start: i, end: e, occurrences: occ.count, documents: occ.docs });
        }
        const got = spans.map(({ start, end, occurrences, documents }) => ({ start, end, occurrences, documents })).sort((x, y) => x.start - y.start);
        expect(got, `trial ${trial}`).toEqual(want);
        // Ranked by rarity.
        for (let k = 1; k < spans.length; k++) expect(spans[k]!.occurrences).toBeGreaterThanOrEqual(spans[k - 1]!.occurrences);
      }
    });
  }

  it('handles a verbatim response longer than any document and an empty response', () => {
    const doc = Array.from({ length: 300 }, (_, i) => 2 * (i % 150));
    const { index } = build([{ record: 'long', contributor: A, ids: doc }]);
    const s = new SuffixSearcher(index);
    const q = [...doc, ...doc, ...doc];
    const { matchLength, spans } = findSpans(s, q, q.map(text));
    expect(matchLength[299]).toBe(300);
    expect(Math.max(...matchLength)).toBe(300);
    expect(spans[0]).toMatchObject({ start: 0, end: 300, occurrences: 1, documents: [0] });
    expect(findSpans(s, [], [])).toEqual({ matchLength: [], spans: [] });
  });
});
