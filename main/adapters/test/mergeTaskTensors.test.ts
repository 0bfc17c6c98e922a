// TIES and DARE merging checked against a slow, obvious reference written here from the papers'
// and PEFT's definitions (selection by repeated maximum, per-entry loops over plain arrays), and
// against small cases worked by hand, the sign election's included.
import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';
import { dropAndRescale, electSigns, mergeTaskTensors, pruneByMagnitude, type TaskMergeMethod } from '../mergeTaskTensors';

/** Keeps floor(density * n) entries: each time the largest magnitude not yet taken, first index on a tie. */
function refTrim(t: number[], density: number): number[] {
  if (density >= 1) return [...t];
  const k = Math.floor(density * t.length);
  const taken = new Set<number>();
  for (let n = 0; n < k; n++) {
    let best = -1;
    for (let i = 0; i < t.length; i++) if (!taken.has(i) && (best < 0 || Math.abs(t[i]!) > Math.abs(t[best]!))) best = i;
    taken.add(best);
  }
  return t.map((v, i) => (taken.has(i) ? v : 0));
}

function refDrop(t: number[], density: number, rng: Xoshiro128): number[] {
  return t.map((v) => (rng.nextFloat() < density ? Math.fround(v / density) : 0));
}

function refMerge(ts: number[][], w: number[], method: TaskMergeMethod, density: number, seed: number): number[] {
  const rng = new Xoshiro128(seed);
  const kept = method === 'ties' ? ts.map((t) => refTrim(t, density)) : method.startsWith('dare') ? ts.map((t) => refDrop(t, density, rng)) : ts;
  return ts[0]!.map((_, i) => {
    if (method === 'linear' || method === 'dare_linear') return kept.reduce((acc, t, p) => acc + w[p]! * t[i]!, 0);
    const total = kept.reduce((acc, t) => acc + t[i]!, 0);
    const elected = total >= 0 ? 1 : -1;
    const agreeing = kept.map((t, p) => ({ v: t[i]!, p })).filter(({ v }) => (v > 0 ? 1 : v < 0 ? -1 : 0) === elected);
    return agreeing.length === 0 ? 0 : agreeing.reduce((acc, { v, p }) => acc + w[p]! * v, 0) / agreeing.length;
  });
}

function randomTensor(rng: Xoshiro128, n: number): number[] {
  // Rounded to a coarse grid so that equal magnitudes (the tie rule) occur.
  return Array.from({ length: n }, () => Math.fround(Math.round((rng.nextFloat() * 2 - 1) * 8) / 4));
}

const f32 = (xs: number[]) => Float32Array.from(xs);

describe('TIES and DARE on small tensors', () => {
  it('trim keeps the largest magnitudes, the earlier index on a tie', () => {
    expect([...pruneByMagnitude(f32([0.5, -2, 1, 2, -0.25, -1]), 0.5)]).toEqual([0, -2, 1, 2, 0, 0]);
    expect([...pruneByMagnitude(f32([0.5, -2, 1, 2]), 1)]).toEqual([0.5, -2, 1, 2]);
    expect([...pruneByMagnitude(f32([0.5, -2, 1, 2]), 0.2)]).toEqual([0, 0, 0, 0]);
  });

  it('the sign election takes the sign of the total, not of the count; a zero total elects +', () => {
    // entry 0: one large negative beats two small positives (by count it would be +).
    // entry 1: 1 - 2 + 0.5 < 0. entry 2: all zero. entry 3: 2 - 2 = 0 elects +.
    const ts = [f32([-3, 1, 0, 2]), f32([1, -2, 0, -2]), f32([1, 0.5, 0, 0])];
    expect([...electSigns(ts)]).toEqual([-1, -1, 1, 1]);
    const w = [2, 3, 5];
    const merged = mergeTaskTensors(ts, w, 'ties', { density: 1, rng: new Xoshiro128(0) });
    // Disjoint mean of the weighted values of the parents that agree with the elected sign.
    expect([...merged]).toEqual([-6, -6, 0, 4]);
  });

  it('TIES trims before it elects: a value trimmed away does not vote', () => {
    // Untrimmed, entry 0 totals 0.9 - 0.5 - 0.5 < 0; with density 0.5 the -0.5s are trimmed from
    // parents 2 and 3 (their larger entry 1 stays), so + is elected and parent 1's 0.9 is kept.
    const ts = [f32([0.9, 0.1]), f32([-0.5, 4]), f32([-0.5, -4])];
    expect([...electSigns(ts)]).toEqual([-1, 1]);
    const merged = mergeTaskTensors(ts, [1, 1, 1], 'ties', { density: 0.5, rng: new Xoshiro128(0) });
    expect([...merged]).toEqual([Math.fround(0.9), 4]);
  });

  it('DARE drops with the seeded generator and rescales what it keeps by 1/density', () => {
    const t = f32(Array.from({ length: 4000 }, (_, i) => (i % 7) - 3));
    const a = dropAndRescale(t, 0.25, new Xoshiro128(5));
    expect([...dropAndRescale(t, 0.25, new Xoshiro128(5))]).toEqual([...a]);
    expect([...dropAndRescale(t, 0.25, new Xoshiro128(6))]).not.toEqual([...a]);
    const kept = a.filter((v) => v !== 0).length;
    expect(a.every((v, i) => v === 0 || v === t[i]! * 4)).toBe(true);
    const zeros = [...t].filter((v) => v === 0).length;
    expect(kept / (t.length - zeros)).toBeGreaterThan(0.2);
    expect(kept / (t.length - zeros)).toBeLessThan(0.3);
  });

  for (const method of ['linear', 'ties', 'dare_linear', 'dare_ties'] as const) {
    it(`${method} equals the reference on random small tensors`, () => {
      const rng = new Xoshiro128(42);
      for (let trial = 0; trial < 20; trial++) {
        const parents = 2 + (trial % 3);
        const n = 1 + ((trial * 7) % 24);
        const ts = Array.from({ length: parents }, () => randomTensor(rng, n));
        const w = Array.from({ length: parents }, () => Math.round(rng.nextFloat() * 20) / 10 + 0.1);
        const density = [0.3, 0.5, 0.7, 1][trial % 4]!;
        const got = mergeTaskTensors(ts.map(f32), w, method, { density, rng: new Xoshiro128(trial) });
        const want = refMerge(ts, w, method, density, trial);
        got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 4));
      }
    });
  }
});
