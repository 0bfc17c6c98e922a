import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../Xoshiro128';
import { logSoftmax, processLogits, sampleToken } from '../sampleToken';

describe('Xoshiro128', () => {
  it('follows the xoshiro128** definition from state [1, 2, 3, 4]', () => {
    // Worked by hand from the published algorithm: result = rotl(s1 * 5, 7) * 9, then the
    // xor/shift/rotate state update.
    const r = new Xoshiro128(Uint32Array.from([1, 2, 3, 4]));
    expect([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()]).toEqual([11520, 0, 5927040, 70819200]);
  });
  it('is deterministic per seed and restorable from its state', () => {
    const a = new Xoshiro128(42);
    const b = new Xoshiro128(42);
    expect([a.nextU32(), a.nextU32()]).toEqual([b.nextU32(), b.nextU32()]);
    const c = new Xoshiro128(a.getState());
    expect(c.nextFloat()).toBe(a.nextFloat());
    expect(new Xoshiro128(43).nextU32()).not.toBe(new Xoshiro128(42).nextU32());
  });
  it('gives uniform floats in [0, 1)', () => {
    const r = new Xoshiro128(1);
    let sum = 0;
    for (let i = 0; i < 10000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      sum += f;
    }
    expect(sum / 10000).toBeCloseTo(0.5, 1);
  });
});

describe('sampleToken', () => {
  const logits = Float32Array.from([1, 3, -2, 2.5, 0]);
  const raw = logSoftmax(logits);

  it('greedy picks the argmax and reports the raw logprob and alternatives', () => {
    const c = sampleToken(logits, {}, null);
    expect(c.id).toBe(1);
    expect(c.logprob).toBeCloseTo(raw[1]!, 12);
    expect(c.top.map((t) => t.id)).toEqual([1, 3, 0, 4, 2]);
    expect(Math.exp(c.top[0]!.logprob) + Math.exp(c.top[1]!.logprob)).toBeLessThan(1);
  });
  it('repetition penalty divides positive and multiplies negative logits (HF)', () => {
    const s = processLogits(logits, { repetitionPenalty: 2 }, [1, 2, 1]);
    expect([...s]).toEqual([1, 1.5, -4, 2.5, 0]);
    // With the penalty the greedy choice moves, but the logprob stays the raw one.
    const c = sampleToken(logits, { repetitionPenalty: 2 }, null, [1]);
    expect(c.id).toBe(3);
    expect(c.logprob).toBeCloseTo(raw[3]!, 12);
  });
  it('top-k keeps ties with the k-th and top-p keeps the smallest head above p', () => {
    expect([...processLogits([1, 2, 2, 0], { topK: 2 }, [])]).toEqual([-Infinity, 2, 2, -Infinity]);
    const probs = [0.5, 0.3, 0.15, 0.05];
    const lg = probs.map(Math.log);
    const kept = (p: number) => [...processLogits(lg, { topP: p }, [])].map((v) => v > -Infinity);
    expect(kept(0.5)).toEqual([true, false, false, false]);
    expect(kept(0.79)).toEqual([true, true, false, false]);
    expect(kept(0.81)).toEqual([true, true, true, false]);
    expect(kept(0.01)).toEqual([true, false, false, false]);
  });
  it('samples with the processed distribution, reproducibly for a seed', () => {
    const draw = (seed: number, n: number) => {
      const rng = new Xoshiro128(seed);
      return Array.from({ length: n }, () => sampleToken(logits, { temperature: 1 }, rng).id);
    };
    expect(draw(9, 50)).toEqual(draw(9, 50));
    const counts = new Array(5).fill(0);
    for (const id of draw(3, 20000)) counts[id]++;
    counts.forEach((c, i) => expect(Math.abs(c / 20000 - Math.exp(raw[i]!))).toBeLessThan(0.015));
    // top-k 2 at temperature 0.5 only ever yields the two best.
    const rng = new Xoshiro128(5);
    const seen = new Set(Array.from({ length: 500 }, () => sampleToken(logits, { temperature: 0.5, topK: 2 }, rng).id));
    expect([...seen].sort()).toEqual([1, 3]);
  });

  it('reports no alternatives when none are asked for (it threw before)', () => {
    const logits = new Float32Array([0.1, 2, -1, 1.5]);
    expect(sampleToken(logits, { topAlternatives: 0 }, null)).toMatchObject({ id: 1, top: [] });
    expect(sampleToken(logits, { temperature: 1, topAlternatives: 0 }, new Xoshiro128(1)).top).toEqual([]);
  });
});
