import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NativeModel } from '../../main/engine/native/index.js';
import { bitsEqual, engine, maxAbsDiff } from './helpers/engine.js';
import { mergeLora, referenceForward, referenceLoss, toF64 } from './helpers/reference.js';
import { gpt2Spec, llamaSpec, randn, randomWeights, rng, tempDir, writeSafetensors, type SpecNoFiles, type TensorIn } from './helpers/tinyModels.js';

const GPT2_TARGETS = ['c_attn', 'c_proj', 'c_fc'];
const LLAMA_TARGETS = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

function build(spec: SpecNoFiles, seed: number): { weights: Record<string, TensorIn>; file: string } {
  const weights = randomWeights(spec, seed);
  const file = path.join(tempDir('engine-lora-'), 'model.safetensors');
  writeSafetensors(file, weights);
  return { weights, file };
}

function batchFor(spec: SpecNoFiles, B: number, T: number, seed: number) {
  const r = rng(seed);
  const tokens = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
  const targets = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
  return { tokens, targets, batch: B, seq: T };
}

/** Random values for every LoRA tensor (B included, so every gradient is non-trivial). */
function randomizeLora(m: NativeModel, seed: number): void {
  const r = rng(seed);
  const t = m.getLoraTensors();
  m.setLoraTensors(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, randn(r, v.data.length, 0.15)])));
}

function loraF64(m: NativeModel): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(m.getLoraTensors()).map(([k, v]) => [k, Float64Array.from(v.data)]));
}

describe('LoRA', () => {
  const threads = engine.getThreads();
  afterAll(() => engine.setThreads(threads));

  const cases: [string, SpecNoFiles, string[], boolean][] = [
    ['gpt2', gpt2Spec(), GPT2_TARGETS, false],
    ['llama', llamaSpec(), LLAMA_TARGETS, false],
    ['llama rsLoRA, tied', llamaSpec({ tieWordEmbeddings: true }), LLAMA_TARGETS, true],
  ];

  for (const [name, spec, targets, rslora] of cases) {
    const rank = 2, alpha = 3;
    const scale = rslora ? alpha / Math.sqrt(rank) : alpha / rank;

    it(`${name}: forward with an adapter equals the base with B·A merged in (f64 reference)`, () => {
      const { weights, file } = build(spec, 21);
      const m = new engine.Model({ ...spec, files: [file] });
      const { tokens } = batchFor(spec, 2, 6, 1);
      const before = m.forward(tokens, 2, 6);
      m.addLora({ targets, rank, alpha, rslora, seed: 4 });
      // a fresh adapter (B = 0) changes nothing
      expect(bitsEqual(m.forward(tokens, 2, 6), before)).toBe(true);
      randomizeLora(m, 8);
      const merged = mergeLora(spec, toF64(weights), loraF64(m), scale, rank);
      const ref = referenceForward(spec, merged, tokens, 2, 6);
      const got = m.forward(tokens, 2, 6);
      expect(maxAbsDiff(got, Float32Array.from(ref))).toBeLessThan(1e-4);
      expect(maxAbsDiff(got, before)).toBeGreaterThan(1e-2);
    });

    // Central differences of the f64 reference loss (eps 1e-4: truncation ~1e-8, rounding ~1e-12)
    // against the engine's f32 analytic gradients. Tolerance: 1e-3 relative to the gradient's
    // scale, which f32 accumulation over these tiny sizes stays far inside.
    it(`${name}: LoRA gradients of every parameter kind match finite differences`, () => {
      const { weights, file } = build(spec, 22);
      const m = new engine.Model({ ...spec, files: [file] });
      m.addLora({ targets, rank, alpha, rslora, seed: 5 });
      randomizeLora(m, 9);
      const b = batchFor(spec, 2, 5, 3);
      b.targets[2] = -100; // ignored target
      const mask = Float32Array.from({ length: 10 }, (_, i) => (i % 4 === 1 ? 0 : i % 3 === 0 ? 0.5 : 1));
      const res = m.forwardBackward({ ...b, mask });
      const base = toF64(weights);
      const lora = loraF64(m);
      const lossAt = (l: Record<string, Float64Array>) => referenceLoss(spec, mergeLora(spec, base, l, scale, rank), b.tokens, b.targets, 2, 5, mask);
      expect(Math.abs(res.loss - lossAt(lora))).toBeLessThan(1e-5);
      const grads = m.getLoraGrads();
      const kinds = new Set<string>();
      const r = rng(77);
      const eps = 1e-4;
      for (const [pname, g] of Object.entries(grads)) {
        kinds.add(pname.replace(/\.\d+\./, '.N.'));
        const gnorm = Math.sqrt(g.data.reduce((s, x) => s + x * x, 0));
        expect(gnorm).toBeGreaterThan(0);
        // a random direction over the whole tensor, then three single coordinates
        const dirs: Float64Array[] = [Float64Array.from(g.data, () => (r() < 0.5 ? -1 : 1))];
        for (let k = 0; k < 3; k++) {
          const d = new Float64Array(g.data.length);
          d[Math.floor(r() * d.length)] = 1;
          dirs.push(d);
        }
        for (const d of dirs) {
          const plus = { ...lora, [pname]: lora[pname]!.map((x, i) => x + eps * d[i]!) };
          const minus = { ...lora, [pname]: lora[pname]!.map((x, i) => x - eps * d[i]!) };
          const fd = (lossAt(plus) - lossAt(minus)) / (2 * eps);
          let an = 0;
          for (let i = 0; i < d.length; i++) an += g.data[i]! * d[i]!;
          expect(Math.abs(an - fd), `${pname}: analytic ${an} vs fd ${fd}`).toBeLessThan(1e-3 * (Math.abs(fd) + gnorm) + 1e-7);
        }
      }
      // both factors of every targeted module kind were checked
      expect(kinds.size).toBe(targets.length === 3 ? 8 : 14);
    });
  }

  it('masked tokens do not contribute; gradient accumulation over micro-batches equals one batch', () => {
    const spec = llamaSpec();
    const { file } = build(spec, 30);
    const mk = () => {
      const m = new engine.Model({ ...spec, files: [file] });
      m.addLora({ targets: LLAMA_TARGETS, rank: 2, alpha: 4, seed: 1 });
      randomizeLora(m, 2);
      return m;
    };
    const b = batchFor(spec, 2, 6, 4);
    const mask = Float32Array.from({ length: 12 }, (_, i) => (i % 6 < 3 ? 0 : 1)); // train on the "response" half
    const m1 = mk();
    const r1 = m1.forwardBackward({ ...b, mask });
    const changed = Int32Array.from(b.targets);
    changed[0] = (changed[0]! + 1) % spec.vocabSize;
    changed[7] = (changed[7]! + 5) % spec.vocabSize;
    const m2 = mk();
    const r2 = m2.forwardBackward({ ...b, targets: changed, mask });
    expect(r2.loss).toBe(r1.loss);
    const g1 = m1.getLoraGrads(), g2 = m2.getLoraGrads();
    for (const k of Object.keys(g1)) expect(bitsEqual(g1[k]!.data, g2[k]!.data)).toBe(true);
    expect(r1.weight).toBe(6);

    // accumulation: two micro-batches of one sequence each, normalised by the total weight
    const m3 = mk();
    for (let s = 0; s < 2; s++)
      m3.forwardBackward({ tokens: b.tokens.subarray(s * 6, s * 6 + 6), targets: b.targets.subarray(s * 6, s * 6 + 6), mask: mask.subarray(s * 6, s * 6 + 6), batch: 1, seq: 6, normalizer: 6 });
    const g3 = m3.getLoraGrads();
    for (const k of Object.keys(g1)) expect(maxAbsDiff(g3[k]!.data, g1[k]!.data)).toBeLessThan(1e-6);
  });

  it('AdamW with clipping and weight decay matches a direct computation', () => {
    const spec = gpt2Spec();
    const { file } = build(spec, 31);
    const m = new engine.Model({ ...spec, files: [file] });
    m.addLora({ targets: GPT2_TARGETS, rank: 2, alpha: 4, seed: 1 });
    randomizeLora(m, 3);
    const opts = { lr: 0.01, beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1, maxGradNorm: 0.05 };
    const p = Object.fromEntries(Object.entries(m.getLoraTensors()).map(([k, v]) => [k, Float64Array.from(v.data)]));
    const mom: Record<string, Float64Array> = {}, vel: Record<string, Float64Array> = {};
    for (let step = 1; step <= 3; step++) {
      const b = batchFor(spec, 2, 4, step);
      m.forwardBackward(b);
      const g = m.getLoraGrads();
      let sq = 0;
      for (const t of Object.values(g)) for (const x of t.data) sq += x * x;
      const norm = Math.sqrt(sq);
      const clip = norm > opts.maxGradNorm ? opts.maxGradNorm / (norm + 1e-6) : 1;
      const out = m.optimizerStep(opts);
      expect(out.gradNorm).toBeCloseTo(norm, 6);
      expect(out.step).toBe(step);
      for (const [k, t] of Object.entries(g)) {
        mom[k] ??= new Float64Array(t.data.length);
        vel[k] ??= new Float64Array(t.data.length);
        for (let i = 0; i < t.data.length; i++) {
          const gi = t.data[i]! * clip;
          mom[k]![i] = opts.beta1 * mom[k]![i]! + (1 - opts.beta1) * gi;
          vel[k]![i] = opts.beta2 * vel[k]![i]! + (1 - opts.beta2) * gi * gi;
          const bc1 = 1 - opts.beta1 ** step, bc2 = 1 - opts.beta2 ** step;
          p[k]![i] = p[k]![i]! * (1 - opts.lr * opts.weightDecay);
          p[k]![i] = p[k]![i]! - (opts.lr / bc1) * mom[k]![i]! / (Math.sqrt(vel[k]![i]!) / Math.sqrt(bc2) + opts.eps);
        }
      }
      const now = m.getLoraTensors();
      for (const k of Object.keys(p)) expect(maxAbsDiff(now[k]!.data, Float32Array.from(p[k]!))).toBeLessThan(2e-6);
      // gradients are zeroed by the step
      expect(Math.max(...Object.values(m.getLoraGrads()).map((t) => Math.max(...t.data.map(Math.abs))))).toBe(0);
    }
  });

  it('resumes exactly from saved LoRA tensors and optimizer state (dropout included), and is deterministic across thread counts', () => {
    const spec = llamaSpec();
    const { file } = build(spec, 32);
    const cfg = { targets: LLAMA_TARGETS, rank: 4, alpha: 8, dropout: 0.2, seed: 12 };
    const train = (m: NativeModel, from: number, to: number) => {
      for (let s = from; s < to; s++) {
        m.forwardBackward(batchFor(spec, 2, 6, 100 + s));
        m.optimizerStep({ lr: 0.02, weightDecay: 0.01, maxGradNorm: 1 });
      }
    };
    engine.setThreads(2);
    const a = new engine.Model({ ...spec, files: [file] });
    a.addLora(cfg);
    train(a, 0, 4);
    const b = new engine.Model({ ...spec, files: [file] });
    b.addLora(cfg);
    train(b, 0, 2);
    const saved = { tensors: b.getLoraTensors(), state: b.getOptimizerState() };
    engine.setThreads(1);
    const c = new engine.Model({ ...spec, files: [file] });
    c.addLora(cfg); // same config (the seed drives dropout); its fresh A is overwritten below
    c.setLoraTensors(saved.tensors);
    c.setOptimizerState(saved.state);
    train(c, 2, 4);
    const ta = a.getLoraTensors(), tc = c.getLoraTensors();
    for (const k of Object.keys(ta)) expect(bitsEqual(ta[k]!.data, tc[k]!.data), k).toBe(true);
    expect(c.getOptimizerState().step).toBe(4);
  });

  it('dropout is seeded and only active in training; initialisation follows the seed', () => {
    const spec = gpt2Spec();
    const { file } = build(spec, 33);
    const mk = (dropout: number, seed: number) => {
      const m = new engine.Model({ ...spec, files: [file] });
      m.addLora({ targets: GPT2_TARGETS, rank: 4, alpha: 8, dropout, seed });
      return m;
    };
    const b = batchFor(spec, 2, 5, 1);
    const x = mk(0.3, 1), y = mk(0.3, 1), z = mk(0, 1), w = mk(0.3, 2);
    const ax = x.getLoraTensors(), aw = w.getLoraTensors();
    const firstA = Object.keys(ax).find((k) => k.endsWith('lora_A.weight'))!;
    expect(bitsEqual(ax[firstA]!.data, y.getLoraTensors()[firstA]!.data)).toBe(true);
    expect(bitsEqual(ax[firstA]!.data, aw[firstA]!.data)).toBe(false);
    const bound = 1 / Math.sqrt(spec.hiddenSize);
    expect(Math.max(...ax[firstA]!.data.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...ax[firstA.replace('lora_A', 'lora_B')]!.data.map(Math.abs))).toBe(0);
    for (const m of [x, y, z]) randomizeLora(m, 5);
    expect(x.evalLoss(b).loss).toBe(z.evalLoss(b).loss);
    const lx = x.forwardBackward(b).loss, ly = y.forwardBackward(b).loss, lz = z.forwardBackward(b).loss;
    expect(lx).toBe(ly);
    expect(lx).not.toBe(lz);
    expect(x.forwardBackward(b).loss).not.toBe(lx); // the next micro-batch draws a new mask
  });

  it('a NaN loss or a NaN learning rate throws a clear error', () => {
    const spec = gpt2Spec();
    const weights = randomWeights(spec, 34);
    weights['ln_f.weight']!.data[3] = NaN;
    const file = path.join(tempDir('engine-nan-'), 'm.safetensors');
    writeSafetensors(file, weights);
    const m = new engine.Model({ ...spec, files: [file] });
    m.addLora({ targets: GPT2_TARGETS, rank: 2, alpha: 4 });
    expect(() => m.forwardBackward(batchFor(spec, 1, 4, 1))).toThrowError(/loss is not finite \(NaN or Inf\)/);
    const ok = new engine.Model({ ...spec, files: [build(spec, 35).file] });
    ok.addLora({ targets: GPT2_TARGETS, rank: 2, alpha: 4 });
    ok.forwardBackward(batchFor(spec, 1, 4, 1));
    expect(() => ok.optimizerStep({ lr: NaN })).toThrowError(/'lr' must be finite/);
    expect(() => ok.addLora({ targets: ['q'], rank: 2, alpha: 4 })).toThrowError(/already has an adapter/);
    const fresh = new engine.Model({ ...spec, files: [build(spec, 36).file] });
    expect(() => fresh.addLora({ targets: ['q_proj'], rank: 2, alpha: 4 })).toThrowError(/unknown target module 'q_proj'/);
    expect(() => fresh.setLoraTensors({ nope: new Float32Array(1) })).toThrowError(/unknown LoRA tensor 'nope'/);
  });
});
