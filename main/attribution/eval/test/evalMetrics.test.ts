// The evaluation's metrics against values worked out by hand (the arithmetic is in the comments).
import { describe, expect, it } from 'vitest';
import { Bm25Index } from '../Bm25Index';
import { rankOf, retrievalMetrics } from '../retrievalMetrics';
import { detectionRateAt, rocAuc } from '../rocAuc';
import { spearmanCorrelation } from '../spearmanCorrelation';

describe('retrieval metrics', () => {
  it('Recall@1, Recall@5 and MRR over ranks, a missing item counting as a miss', () => {
    // ranks 1, 3, none, 6: top-1 holds 1 of 4, top-5 holds 2 of 4; MRR = (1 + 1/3 + 0 + 1/6) / 4 = 0.375
    expect(retrievalMetrics([1, 3, null, 6])).toEqual({ questions: 4, recallAt1: 0.25, recallAt5: 0.5, mrr: 0.375 });
    expect(retrievalMetrics([])).toEqual({ questions: 0, recallAt1: 0, recallAt5: 0, mrr: 0 });
    expect(() => retrievalMetrics([0])).toThrow(/>= 1/);
  });

  it('ranks ties pessimistically', () => {
    const ranked = [
      { id: 'a', score: 3 },
      { id: 'b', score: 2 },
      { id: 'c', score: 2 },
    ];
    expect(rankOf(ranked, 'a')).toBe(1);
    // b and c tie for second: each is counted third, as if the other came first.
    expect(rankOf(ranked, 'b')).toBe(3);
    expect(rankOf(ranked, 'c')).toBe(3);
    expect(rankOf(ranked, 'z')).toBeNull();
  });
});

describe('rocAuc and detection rate', () => {
  it('is the share of (corrupted, clean) pairs ordered right, ties counting one half', () => {
    // positives score 0.9 and 0.7; negatives 0.8, 0.6, 0.5: 0.9 beats 3, 0.7 beats 2 -> 5 / 6
    expect(rocAuc([0.9, 0.8, 0.7, 0.6, 0.5], [true, false, true, false, false])).toBeCloseTo(5 / 6, 12);
    // positive 1 ties negative 1 (1/2) and beats 0 (1) -> 1.5 / 2
    expect(rocAuc([1, 1, 0], [true, false, false])).toBe(0.75);
    expect(rocAuc([0, 1], [true, false])).toBe(0);
    expect(() => rocAuc([1, 2], [true, true])).toThrow(/one corrupted and one clean/);
  });

  it('detection rate at 10% inspected', () => {
    const scores = Array.from({ length: 20 }, (_, i) => 20 - i);
    const corrupted = scores.map((_, i) => i === 0 || i === 1 || i === 10 || i === 15);
    // the top 2 of 20 are records 0 and 1, both corrupted: 2 of the 4 corrupted are found
    expect(detectionRateAt(scores, corrupted, 0.1)).toBe(0.5);
    expect(detectionRateAt(scores, corrupted, 1)).toBe(1);
  });
});

describe('spearmanCorrelation', () => {
  it('correlates average ranks', () => {
    // y's ranks with the tie at 7: 1, 2, 3.5, 5, 3.5; x's 1..5. Deviations from 3:
    // x -2 -1 0 1 2, y -2 -1 0.5 2 0.5; sum xy = 8, sum xx = 10, sum yy = 9.5 -> 8 / sqrt(95)
    expect(spearmanCorrelation([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(8 / Math.sqrt(95), 12);
    expect(spearmanCorrelation([1, 2, 3], [10, 100, 1000])).toBeCloseTo(1, 12);
    expect(spearmanCorrelation([1, 2, 3], [3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearmanCorrelation([1, 2, 3], [4, 4, 4])).toBeNaN();
  });
});

describe('Bm25Index', () => {
  it('scores a hand-worked example (k1 = 1.2, b = 0.75)', () => {
    const index = new Bm25Index(['A b', 'a c, C', 'd']);
    // N = 3, lengths 2 3 1, avgdl 2.
    // "c": n = 1, idf = ln(1 + 2.5 / 1.5); doc 1 tf 2: 2 * 2.2 / (2 + 1.2 * (0.25 + 0.75 * 3 / 2))
    const idfC = Math.log(1 + 2.5 / 1.5);
    const c = index.scores('c');
    expect(c[0]).toBe(0);
    expect(c[1]).toBeCloseTo((idfC * 2 * 2.2) / (2 + 1.2 * (0.25 + 0.75 * 1.5)), 12);
    expect(c[1]).toBeCloseTo(1.18237, 5);
    // "a": n = 2, idf = ln(1 + 1.5 / 2.5); doc 0 (length = avgdl) gets idf itself, doc 1 idf * 2.2 / 2.65
    const idfA = Math.log(1.6);
    const a = index.scores('a');
    expect(a[0]).toBeCloseTo(idfA, 12);
    expect(a[1]).toBeCloseTo((idfA * 2.2) / 2.65, 12);
    expect(a[2]).toBe(0);
    // Query terms add up; an unknown term adds nothing.
    const both = index.scores('a c zebra');
    expect(both[1]).toBeCloseTo(a[1]! + c[1]!, 12);
  });
});
