import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bitsEqual, engine, maxAbsDiff } from './helpers/engine.js';
import { llamaSpec, randn, randomWeights, rng, tempDir, writeSafetensors } from './helpers/tinyModels.js';

describe('per-example projected LoRA gradients', () => {
  it('projectVector has ±1/sqrt(k) entries, is linear, and roughly preserves inner products', () => {
    const k = 1024;
    const e0 = new Float32Array(50);
    e0[3] = 1;
    const col = engine.projectVector(e0, k, 7);
    for (const x of col) expect(Math.abs(Math.abs(x) - 1 / Math.sqrt(k))).toBeLessThan(1e-7);
    const r = rng(3);
    const a = randn(r, 5000, 1), b = randn(r, 5000, 1);
    const pa = engine.projectVector(a, k, 7), pb = engine.projectVector(b, k, 7);
    const sum = engine.projectVector(a.map((x, i) => x + b[i]!), k, 7);
    expect(maxAbsDiff(sum, pa.map((x, i) => x + pb[i]!))).toBeLessThan(1e-3);
    const dot = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0);
    // JL: relative error of the squared norm ~ sqrt(2/k) ≈ 0.044; 5 sigma
    expect(Math.abs(dot(pa, pa) / dot(a, a) - 1)).toBeLessThan(0.25);
    expect(bitsEqual(engine.projectVector(a, k, 8), pa)).toBe(false);
  });

  it('equals projecting each example’s own gradient, and leaves accumulated gradients alone', () => {
    const spec = llamaSpec();
    const file = path.join(tempDir('engine-proj-'), 'm.safetensors');
    writeSafetensors(file, randomWeights(spec, 40));
    const m = new engine.Model({ ...spec, files: [file] });
    m.addLora({ targets: ['q', 'v', 'down'], rank: 2, alpha: 4, dropout: 0.1, seed: 2 });
    const r = rng(5);
    m.setLoraTensors(Object.fromEntries(Object.entries(m.getLoraTensors()).map(([k, v]) => [k, randn(r, v.data.length, 0.1)])));
    const B = 3, T = 5;
    const tokens = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
    const targets = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
    m.forwardBackward({ tokens, targets, batch: B, seq: T }); // some accumulated gradient
    const before = m.getLoraGrads();
    const state = m.getOptimizerState();
    const proj = m.projectedExampleGrads({ tokens, targets, batch: B, seq: T, dim: 96, seed: 11 });
    expect(proj.length).toBe(B * 96);
    const after = m.getLoraGrads();
    for (const k of Object.keys(before)) expect(bitsEqual(before[k]!.data, after[k]!.data)).toBe(true);
    expect(m.getOptimizerState().dropoutCounter).toBe(state.dropoutCounter);
    for (let e = 0; e < B; e++) {
      m.zeroGrad();
      m.forwardBackward({ tokens: tokens.subarray(e * T, (e + 1) * T), targets: targets.subarray(e * T, (e + 1) * T), batch: 1, seq: T, dropout: false });
      const g = m.getLoraGrads();
      const flat = new Float32Array(Object.values(g).reduce((n, t) => n + t.data.length, 0));
      let o = 0;
      for (const t of Object.values(g)) {
        flat.set(t.data, o);
        o += t.data.length;
      }
      const expected = engine.projectVector(flat, 96, 11);
      expect(maxAbsDiff(proj.subarray(e * 96, (e + 1) * 96), expected)).toBeLessThan(1e-6);
    }
  });
});

describe('per-token projected log-probability gradients', () => {
  it('each row is the projection of d log p(token) — checked against the loss gradient of that token alone', () => {
    const spec = llamaSpec();
    const file = path.join(tempDir('engine-ptok-'), 'm.safetensors');
    writeSafetensors(file, randomWeights(spec, 41));
    const m = new engine.Model({ ...spec, files: [file] });
    m.addLora({ targets: ['q', 'o', 'up'], rank: 2, alpha: 4, seed: 3 });
    const r = rng(6);
    m.setLoraTensors(Object.fromEntries(Object.entries(m.getLoraTensors()).map(([k, v]) => [k, randn(r, v.data.length, 0.1)])));
    const T = 6;
    const tokens = Int32Array.from({ length: T }, () => Math.floor(r() * spec.vocabSize));
    const targets = Int32Array.from({ length: T }, (_, i) => (i === 0 ? -100 : Math.floor(r() * spec.vocabSize)));
    const mask = Float32Array.from({ length: T }, (_, i) => (i === 2 ? 0 : 1));
    const { positions, grads } = m.projectedTokenGrads({ tokens, targets, batch: 1, seq: T, mask, dim: 64, seed: 4 });
    expect(Array.from(positions)).toEqual([1, 3, 4, 5]);
    expect(grads.length).toBe(4 * 64);
    positions.forEach((t, n) => {
      m.zeroGrad();
      const only = Float32Array.from({ length: T }, (_, i) => (i === t ? 1 : 0));
      m.forwardBackward({ tokens, targets, batch: 1, seq: T, mask: only, normalizer: 1, dropout: false });
      const flat = Float32Array.from(Object.values(m.getLoraGrads()).flatMap((g) => Array.from(g.data)), (x) => -x);
      expect(maxAbsDiff(grads.subarray(n * 64, (n + 1) * 64), engine.projectVector(flat, 64, 4))).toBeLessThan(1e-6);
    });
    expect(() => m.projectedTokenGrads({ tokens: new Int32Array(12), targets: new Int32Array(12), batch: 2, seq: 6, dim: 8 })).toThrow(/batch must be 1/);
  });
});
