import { describe, expect, it } from 'vitest';
import { applyRope, geluNew, layerNorm, rmsNorm, ropeInvFreq } from '../referenceOps';
import { referenceForward } from '../referenceForward';
import { referenceModelFromWeights } from '../ReferenceModel';
import { randomWeights } from '../../testModels/randomWeights';
import { testModelSpec, type TestModelFamily } from '../../testModels/testModelSpecs';

const t = (data: number[]) => ({ shape: [data.length], data: Float32Array.from(data) });

describe('reference ops', () => {
  it('gelu_new matches the tanh formula at known points', () => {
    // Values of torch's gelu(approximate="tanh"), the same function as gelu_new.
    expect(geluNew(1)).toBeCloseTo(0.8411919906082768, 14);
    expect(geluNew(-1)).toBeCloseTo(-0.15880800939172324, 14);
    expect(geluNew(0)).toBe(0);
  });
  it('layer norm and RMS norm', () => {
    const ln = layerNorm(Float64Array.from([1, 2, 3, 4]), t([1, 1, 1, 2]), t([0, 0, 0, 1]), 0);
    const sd = Math.sqrt(1.25);
    expect([...ln].map((v) => +v.toFixed(12))).toEqual([-1.5 / sd, -0.5 / sd, 0.5 / sd, 1 + 3 / sd].map((v) => +v.toFixed(12)));
    const rms = rmsNorm(Float64Array.from([3, 4]), t([1, 2]), 0);
    const r = Math.sqrt(12.5);
    expect(rms[0]).toBeCloseTo(3 / r, 14);
    expect(rms[1]).toBeCloseTo(8 / r, 14);
  });
  it('llama3 RoPE scaling keeps high, divides low and blends middle frequencies', () => {
    const scaling = { type: 'llama3' as const, factor: 8, lowFreqFactor: 1, highFreqFactor: 4, originalMaxPositions: 64 };
    const plain = ropeInvFreq(16, 500000, null);
    const scaled = ropeInvFreq(16, 500000, scaling);
    for (let i = 0; i < 8; i++) {
      const wavelen = (2 * Math.PI) / plain[i]!;
      if (wavelen < 16) expect(scaled[i]).toBe(plain[i]);
      else if (wavelen > 64) expect(scaled[i]).toBeCloseTo(plain[i]! / 8, 18);
      else {
        const smooth = (64 / wavelen - 1) / 3;
        expect(scaled[i]).toBeCloseTo((1 - smooth) * (plain[i]! / 8) + smooth * plain[i]!, 18);
      }
    }
    // The preset exercises all three bands.
    const bands = [...plain].map((f) => ((2 * Math.PI) / f < 16 ? 'high' : (2 * Math.PI) / f > 64 ? 'low' : 'mid'));
    expect(new Set(bands)).toEqual(new Set(['high', 'mid', 'low']));
  });
  it('RoPE makes q.k depend only on the distance between positions', () => {
    const D = 8;
    const inv = ropeInvFreq(D, 10000, null);
    const q0 = Float64Array.from([0.3, -1, 2, 0.5, 1, 0.1, -0.7, 0.2]);
    const k0 = Float64Array.from([1, 0.2, -0.3, 0.8, -1, 0.4, 0.6, -0.1]);
    const dot = (pq: number, pk: number) => {
      const q = q0.slice();
      const k = k0.slice();
      applyRope(q, 0, D, pq, inv);
      applyRope(k, 0, D, pk, inv);
      return q.reduce((s, v, i) => s + v * k[i]!, 0);
    };
    expect(dot(7, 3)).toBeCloseTo(dot(4, 0), 12);
    expect(dot(20, 5)).toBeCloseTo(dot(15, 0), 12);
    expect(Math.abs(dot(7, 3) - dot(7, 5))).toBeGreaterThan(1e-3);
  });
});

describe.each(['gpt2', 'llama', 'qwen2', 'smollm'] as TestModelFamily[])('reference forward (%s)', (family) => {
  const spec = testModelSpec(family, family === 'gpt2' ? { vocabSize: 300 } : {});
  const model = referenceModelFromWeights(spec, randomWeights(spec, 7));
  const ids = [5, 17, 3, 250, 42, 9];

  it('is causal: a position never sees later tokens', () => {
    const full = referenceForward(model, ids);
    const prefix = referenceForward(model, ids.slice(0, 3));
    expect(full).toHaveLength(ids.length);
    for (let t = 0; t < 3; t++) for (let v = 0; v < spec.vocabSize; v += 37) expect(prefix[t]![v]).toBeCloseTo(full[t]![v]!, 10);
  });
  it('gives finite, non-degenerate logits', () => {
    const logits = referenceForward(model, ids);
    for (const row of logits) {
      expect(row.every(Number.isFinite)).toBe(true);
      const max = Math.max(...row);
      const min = Math.min(...row);
      expect(max - min).toBeGreaterThan(1);
    }
  });
  it('rejects ids outside the vocabulary', () => {
    expect(() => referenceForward(model, [spec.vocabSize])).toThrow(/outside the vocabulary/);
  });
});
