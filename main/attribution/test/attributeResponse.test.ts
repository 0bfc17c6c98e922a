// The combination of evidences into record scores and contributor shares, against a real span
// index (native suffix table on disk).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { ResponseAttributionSchema } from '../../api/attributionSchemas';
import { loadNativeEngine } from '../../engine/native/index';
import { applyThreshold, attributeResponse, combineEvidence, SHARE_POWER, tokenShares, type AttributeInput } from '../attributeResponse';
import { DECISIVE_SPAN_TOKENS, spanConfidence, SuffixSearcher } from '../findSpans';
import { openSpanIndex } from '../openSpanIndex';
import { writeSpanIndex } from '../writeSpanIndex';

const engine = loadNativeEngine();
const ROOT = '0x' + '12'.repeat(32);
const FP = '34'.repeat(32);
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

// A word-level toy tokenizer: every word (with its leading space) is one token.
const vocab: string[] = [];
const encode = (s: string): number[] =>
  (s.match(/ ?[^ ]+/g) ?? []).map((w) => {
    let i = vocab.indexOf(w);
    if (i < 0) i = vocab.push(w) - 1;
    return i;
  });

function setup() {
  const docs = [
    { record: 'alice-1', contributor: ALICE, text: 'The lighthouse keeper painted the stairs bright green every spring.' },
    { record: 'alice-2', contributor: ALICE, text: 'Bread rises faster in a warm kitchen.' },
    { record: 'bob-1', contributor: BOB, text: 'The harbour froze over in the winter of the great storm.' },
    { record: 'carol-1', contributor: CAROL, text: 'in the winter of the year the market moved indoors.' },
  ];
  const dir = path.join(tempDir(), 'idx');
  writeSpanIndex(engine, dir, docs.map((d) => ({ record: d.record, contributor: d.contributor, ids: encode(d.text) })), {
    datanet: { name: 'coast', version: 1, root: ROOT },
    tokenizer: { fingerprint: FP, vocabSize: 5000 },
  });
  return new SuffixSearcher(openSpanIndex(engine, dir, { datanetRoot: ROOT, tokenizerFingerprint: FP }));
}

function input(searcher: SuffixSearcher, response: string, extra: Partial<AttributeInput> = {}): AttributeInput {
  const ids = encode(response);
  return {
    model: 'base',
    adapter: null,
    datanet: { name: 'coast', version: 1, root: ROOT },
    datanetFrom: 'argument',
    tokens: ids.map((id) => ({ id, text: vocab[id]! })),
    searcher,
    gradient: null,
    note: 'no adapter: exact spans only',
    threshold: { bps: 1, source: 'default' },
    ...extra,
  };
}

describe('attributeResponse', () => {
  it('attributes a verbatim training sentence to its record and contributor, and fits the shared schema', () => {
    const s = setup();
    const r = attributeResponse(input(s, 'We heard that the lighthouse keeper painted the stairs bright green every spring.'));
    expect(ResponseAttributionSchema.parse(r)).toEqual(r);
    // The record starts "The lighthouse": the lower-case " the" before it is not part of the span.
    expect(r.spans[0]).toMatchObject({ start: 4, end: 13, text: ' lighthouse keeper painted the stairs bright green every spring.', occurrences: 1, records: [{ record: 'alice-1', contributor: ALICE }] });
    const painted = r.tokens.find((t) => t.text === ' painted')!;
    expect(painted.matchLength).toBe(3); // " lighthouse keeper painted"
    expect(painted.attribution.records[0]).toMatchObject({ record: 'alice-1', contributor: ALICE, score: 1, gradientScore: null });
    expect(painted.attribution.span?.start).toBe(4);
    expect(r.contributors).toEqual([{ address: ALICE, share: 1 }]);
    expect(r.evidence).toEqual({ spans: true, gradient: null, note: 'no adapter: exact spans only' });
    expect(r.combinationRule).toMatch(/no gradient evidence/);
    // Words never seen: no evidence.
    expect(r.tokens[0]).toMatchObject({ text: 'We', matchLength: 0, attribution: { records: [], span: null } });
  });

  it('splits a span two records share by rarity; a long span one record holds decides its tokens over gradient evidence', () => {
    const s = setup();
    const text = 'Ships waited in the winter of the great storm.';
    const r = attributeResponse(input(s, text));
    // " in the winter of the" occurs in Bob's and Carol's records; " great storm." only in Bob's.
    const winter = r.tokens.find((t) => t.text === ' winter')!;
    expect(winter.attribution.records.map((x) => x.record)).toEqual(['bob-1']);
    expect(r.contributors[0]!.address).toBe(BOB);
    expect(r.contributors.reduce((a, c) => a + c.share, 0)).toBeCloseTo(1, 5);

    const ids = encode(text);
    const gradient = { method: 'tracin' as const, ms: 3, perToken: ids.map(() => [{ record: 'carol-1', score: 1 }, { record: 'alice-2', score: 0.5 }]) };
    const g = attributeResponse(input(s, text, { gradient, note: null }));
    // " in the winter of the great storm." (8 tokens) is Bob's alone: confidence 1, the gradients' picks score 0.
    const w = g.tokens.find((t) => t.text === ' winter')!;
    expect(w.attribution.records).toEqual([{ record: 'bob-1', contributor: BOB, score: 1, spanScore: expect.any(Number), gradientScore: 0, contextScore: 0 }]);
    expect(g.contributors.map((c) => c.address)[0]).toBe(BOB);
    // "Ships" and " waited" match nothing: the gradient evidence alone names their records.
    expect(g.tokens[0]!.attribution.records.map((x) => [x.record, x.score])).toEqual([['carol-1', 1], ['alice-2', 0.5]]);
    expect(g.evidence.gradient).toBe('tracin');
    expect(g.timings.gradientMs).toBe(3);
    expect(g.combinationRule).toMatch(/c\(t\)·span\(r,t\) \+ \(1−c\(t\)\)·gradient\(r,t\)/);
    expect(() => attributeResponse(input(s, text, { gradient: { ...gradient, perToken: [] } }))).toThrow(/0 token entries for a response of 9 tokens/);
  });

  it('a phrase several records share leaves most of its tokens\' weight to the gradient evidence', () => {
    const docs = [
      { record: 'alice-1', contributor: ALICE, text: 'The bells rang amber and grey at noon.' },
      { record: 'bob-1', contributor: BOB, text: 'Her coat was amber and grey in winter.' },
      { record: 'carol-1', contributor: CAROL, text: 'Snow fell on the hills.' },
    ];
    const dir = path.join(tempDir(), 'idx');
    writeSpanIndex(engine, dir, docs.map((d) => ({ record: d.record, contributor: d.contributor, ids: encode(d.text) })), { datanet: { name: 'coast', version: 1, root: ROOT }, tokenizer: { fingerprint: FP, vocabSize: 5000 } });
    const searcher = new SuffixSearcher(openSpanIndex(engine, dir, { datanetRoot: ROOT, tokenizerFingerprint: FP }));
    const text = 'It is amber and grey';
    const ids = encode(text);
    const gradient = { method: 'datainf' as const, ms: 1, perToken: ids.map(() => [{ record: 'carol-1', score: 1 }, { record: 'bob-1', score: 0.5 }]) };
    const r = attributeResponse(input(searcher, text, { gradient, note: null }));
    // " amber and grey": 3 tokens in 2 records, c = min(1, 3/4) / 2 = 0.375 on its tokens.
    const amber = r.tokens.find((t) => t.text === ' amber')!;
    expect(amber.attribution.span).toMatchObject({ text: ' amber and grey', occurrences: 2 });
    expect(amber.attribution.records.map((x) => [x.record, x.score])).toEqual([
      ['bob-1', 0.375 + 0.625 * 0.5],
      ['carol-1', 0.625],
      ['alice-1', 0.375],
    ]);
    // Without gradient evidence the span decides: the two holders tie,
    const spansOnly = attributeResponse(input(searcher, text));
    // ... at the span's confidence: a phrase two records share is weak evidence for either.
    expect(spansOnly.tokens.find((t) => t.text === ' amber')!.attribution.records.map((x) => [x.record, x.score])).toEqual([['alice-1', 0.375], ['bob-1', 0.375]]);
  });

  it('span confidence: long and unique decides, shared or short weighs less, a cut document list counts occurrences', () => {
    expect(spanConfidence({ start: 0, end: 6, occurrences: 1, documents: [3] })).toBe(1);
    expect(spanConfidence({ start: 0, end: 2, occurrences: 1, documents: [3] })).toBe(2 / DECISIVE_SPAN_TOKENS);
    expect(spanConfidence({ start: 0, end: 8, occurrences: 5, documents: [1, 2, 3, 4] })).toBe(1 / 4);
    const twenty = Array.from({ length: 20 }, (_, i) => i);
    expect(spanConfidence({ start: 0, end: 8, occurrences: 500, documents: twenty })).toBe(1 / 500);
    expect(combineEvidence(1, 0.5, 0.25)).toBe(0.25 + 0.75 * 0.5);
  });

  it('token shares: one clear best record outweighs many middling ones; the response shares follow', () => {
    // One record at 1 and twelve at 0.7: linear parts would give the best 1/9.4 of the token.
    const parts = tokenShares([1, ...Array<number>(12).fill(0.7)]);
    expect(parts[0]).toBeCloseTo(1 / (1 + 12 * 0.7 ** SHARE_POWER), 12);
    expect(parts[0]!).toBeGreaterThan(0.25); // linear: 1 / 9.4
    expect(parts.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(tokenShares([0, 0])).toEqual([0, 0]);
    // Through attributeResponse: Carol's record is every token's best (gradient 1), Alice has
    // three records at 0.7 each. Linear parts: Alice 2.1 of 3.1; with the power Carol leads.
    const s = setup();
    const text = 'Ships waited quietly';
    const perToken = encode(text).map(() => [{ record: 'carol-1', score: 1 }, { record: 'alice-1', score: 0.7 }, { record: 'alice-2', score: 0.7 }, { record: 'bob-1', score: 0.7 }]);
    const r = attributeResponse(input(s, text, { gradient: { method: 'datainf', ms: 1, perToken }, note: null }));
    expect(r.contributors.map((c) => c.address)).toEqual([CAROL, ALICE, BOB]);
    expect(r.contributors[0]!.share).toBeCloseTo(1 / (1 + 3 * 0.7 ** SHARE_POWER), 5);
    expect(r.combinationRule).toMatch(new RegExp(`power ${SHARE_POWER}`));
  });

  it('drops contributors under the threshold, listing their share before it, and renormalises the rest', () => {
    const sums = new Map([
      [ALICE, 6],
      [BOB, 3.9],
      [CAROL, 0.1],
    ]);
    const { contributors, dropped } = applyThreshold(sums, 200); // 2%
    expect(dropped).toEqual([{ address: CAROL, share: 0.01 }]);
    expect(contributors).toEqual([
      { address: ALICE, share: Math.round((0.6 / 0.99) * 1e6) / 1e6 },
      { address: BOB, share: Math.round((0.39 / 0.99) * 1e6) / 1e6 },
    ]);
    expect(applyThreshold(new Map(), 200)).toEqual({ contributors: [], dropped: [] });
    const s = setup();
    const r = attributeResponse(input(s, 'Ships waited in the winter of the great storm. Bread rises faster in a warm kitchen.', { threshold: { bps: 5000, source: 'chain' } }));
    expect(r.threshold.source).toBe('chain');
    expect(r.contributors.length).toBe(1);
    expect(r.threshold.dropped.length).toBeGreaterThan(0);
    expect(r.contributors[0]!.share).toBe(1);
  });
});
