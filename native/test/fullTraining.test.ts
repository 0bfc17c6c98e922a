import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NativeModel } from '../../main/engine/native/index.js';
import { bitsEqual, engine } from './helpers/engine.js';
import { referenceLoss, toF64 } from './helpers/reference.js';
import { gpt2Spec, llamaSpec, randomWeights, rng, tempDir, writeSafetensors, type Dtype, type SpecNoFiles, type TensorIn } from './helpers/tinyModels.js';

function build(spec: SpecNoFiles, seed: number, dtype: Dtype = 'F32'): { weights: Record<string, TensorIn>; file: string } {
  const weights = randomWeights(spec, seed);
  const file = path.join(tempDir('engine-full-'), 'model.safetensors');
  writeSafetensors(file, weights, dtype);
  return { weights, file };
}

function batchFor(spec: SpecNoFiles, B: number, T: number, seed: number) {
  const r = rng(seed);
  const tokens = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
  const targets = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
  return { tokens, targets, batch: B, seq: T };
}

function fullModel(file: string, spec: SpecNoFiles, gradientCheckpointing = false): NativeModel {
  const m = new engine.Model({ ...spec, files: [file] });
  m.enableFullTraining({ gradientCheckpointing });
  return m;
}

const f = Math.fround;

describe('full-parameter training', () => {
  const threads = engine.getThreads();
  afterAll(() => engine.setThreads(threads));

  const cases: [string, SpecNoFiles][] = [
    ['gpt2 (tied head, biases)', gpt2Spec()],
    ['gpt2 (untied head)', gpt2Spec({ tieWordEmbeddings: false })],
    ['llama (GQA, untied head)', llamaSpec()],
    ['llama (GQA, tied head, q/k/v bias as Qwen2)', llamaSpec({ tieWordEmbeddings: true, attentionBias: true })],
  ];

  for (const [name, spec] of cases) {
    // Central differences of the f64 reference loss (eps 1e-4) against the engine's f32 analytic
    // gradients, along a random ±1 direction over each whole tensor and two single coordinates:
    // the same check and tolerance as the LoRA gradients (native/README.md, "Tolerances").
    it(`${name}: the gradient of every weight matches finite differences of the f64 reference`, () => {
      const { weights, file } = build(spec, 41);
      const m = fullModel(file, spec);
      const b = batchFor(spec, 2, 5, 3);
      b.targets[2] = -100;
      const mask = Float32Array.from({ length: 10 }, (_, i) => (i % 4 === 1 ? 0 : i % 3 === 0 ? 0.5 : 1));
      const res = m.forwardBackward({ ...b, mask });
      const base = toF64(weights);
      // the engine names and lays out its parameters as the file does
      expect(Object.keys(m.getParameters()).sort()).toEqual(Object.keys(weights).sort());
      const lossAt = (w: Record<string, Float64Array>) => referenceLoss(spec, w, b.tokens, b.targets, 2, 5, mask);
      expect(Math.abs(res.loss - lossAt(base))).toBeLessThan(1e-5);
      const grads = m.getParameterGrads();
      const r = rng(78);
      const eps = 1e-4;
      for (const [pname, g] of Object.entries(grads)) {
        expect(g.shape).toEqual(weights[pname]!.shape);
        const gnorm = Math.sqrt(g.data.reduce((s, x) => s + x * x, 0));
        expect(gnorm, pname).toBeGreaterThan(0);
        const dirs: Float64Array[] = [Float64Array.from(g.data, () => (r() < 0.5 ? -1 : 1))];
        for (let k = 0; k < 2; k++) {
          const d = new Float64Array(g.data.length);
          d[Math.floor(r() * d.length)] = 1;
          dirs.push(d);
        }
        for (const d of dirs) {
          const plus = { ...base, [pname]: base[pname]!.map((x, i) => x + eps * d[i]!) };
          const minus = { ...base, [pname]: base[pname]!.map((x, i) => x - eps * d[i]!) };
          const fd = (lossAt(plus) - lossAt(minus)) / (2 * eps);
          let an = 0;
          for (let i = 0; i < d.length; i++) an += g.data[i]! * d[i]!;
          expect(Math.abs(an - fd), `${pname}: analytic ${an} vs fd ${fd}`).toBeLessThan(1e-3 * (Math.abs(fd) + gnorm) + 1e-7);
        }
      }
    });
  }

  it('weights stored f16 in the file are widened once to f32 masters; their gradients equal an f32 file holding the same values', () => {
    const spec = llamaSpec();
    const half = build(spec, 42, 'F16');
    const m16 = fullModel(half.file, spec);
    const widened = m16.getParameters();
    const f32file = path.join(tempDir('engine-full-'), 'model.safetensors');
    writeSafetensors(f32file, widened);
    const m32 = fullModel(f32file, spec);
    const b = batchFor(spec, 2, 6, 5);
    expect(m16.forwardBackward(b).loss).toBe(m32.forwardBackward(b).loss);
    const g16 = m16.getParameterGrads(), g32 = m32.getParameterGrads();
    for (const k of Object.keys(g16)) expect(bitsEqual(g16[k]!.data, g32[k]!.data), k).toBe(true);
  });

  // The optimizer's per-element arithmetic, replayed in JS with f32 rounding at every operation
  // (the engine is built with -ffp-contract=off): clipping, bias correction, and decoupled weight
  // decay on matrices (embeddings included) but not on norms and biases.
  it('AdamW over all parameters: clipping, decay on matrices only, bit-exact against an f32 replay', () => {
    for (const spec of [gpt2Spec({ tieWordEmbeddings: false }), llamaSpec({ attentionBias: true })]) {
      const { file } = build(spec, 43);
      const m = fullModel(file, spec);
      const o = { lr: 0.01, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 0.5 };
      const noDecay = (n: string) => /\.bias$|norm|ln_/.test(n);
      let values = m.getParameters();
      const m1: Record<string, Float32Array> = {}, v1: Record<string, Float32Array> = {};
      for (const [k, t] of Object.entries(values)) {
        m1[k] = new Float32Array(t.data.length);
        v1[k] = new Float32Array(t.data.length);
      }
      for (let step = 1; step <= 2; step++) {
        m.forwardBackward(batchFor(spec, 2, 7, 10 + step));
        const grads = m.getParameterGrads();
        let ss = 0;
        for (const g of Object.values(grads)) for (const x of g.data) ss += x * x;
        const { gradNorm, step: s } = m.optimizerStep(o);
        expect(s).toBe(step);
        expect(Math.abs(gradNorm - Math.sqrt(ss)) / gradNorm).toBeLessThan(1e-12);
        expect(gradNorm).toBeGreaterThan(o.maxGradNorm); // clipping is exercised
        const clip = f(f(o.maxGradNorm) / (gradNorm + 1e-6));
        const bc1 = 1 - Math.pow(f(o.beta1), step), bc2 = 1 - Math.pow(f(o.beta2), step);
        const stepSize = f(f(o.lr) / bc1), bc2Sqrt = f(Math.sqrt(bc2));
        const decayOn = f(1 - f(f(o.lr) * f(o.weightDecay)));
        const b1 = f(o.beta1), b2 = f(o.beta2), eps = f(o.eps);
        const after = m.getParameters();
        for (const [k, t] of Object.entries(values)) {
          const g = grads[k]!.data, mk = m1[k]!, vk = v1[k]!;
          const want = Float32Array.from(t.data);
          const decay = noDecay(k) ? 1 : decayOn;
          for (let i = 0; i < want.length; i++) {
            const gc = f(g[i]! * clip);
            mk[i] = f(f(b1 * mk[i]!) + f(f(1 - b1) * gc));
            vk[i] = f(f(b2 * vk[i]!) + f(f(f(1 - b2) * gc) * gc));
            want[i] = f(want[i]! * decay);
            want[i] = f(want[i]! - f(f(stepSize * mk[i]!) / f(f(f(Math.sqrt(vk[i]!)) / bc2Sqrt) + eps)));
          }
          expect(bitsEqual(after[k]!.data, want), `${k} step ${step}`).toBe(true);
        }
        // gradients are zeroed by the step
        for (const g of Object.values(m.getParameterGrads())) expect(g.data.every((x) => x === 0)).toBe(true);
        values = after;
      }
      const st = m.getOptimizerState();
      for (const k of Object.keys(m1)) expect(bitsEqual(st.m[k]!, m1[k]!) && bitsEqual(st.v[k]!, v1[k]!), k).toBe(true);
    }
  });

  // Same seed and data: bit-identical weights for 1 and 2 threads, with and without gradient
  // checkpointing, with accumulation over micro-batches.
  it('deterministic: 1 and 2 threads, checkpointing on and off, give bit-identical weights after three accumulated steps', () => {
    for (const spec of [gpt2Spec(), llamaSpec()]) {
      const { file } = build(spec, 44);
      const runs: Record<string, NamedTensorMap> = {};
      for (const th of [1, 2])
        for (const ck of [false, true]) {
          engine.setThreads(th);
          const m = fullModel(file, spec, ck);
          for (let step = 0; step < 3; step++) {
            for (let micro = 0; micro < 2; micro++) {
              const b = batchFor(spec, 2, 9, 100 + step * 2 + micro);
              m.forwardBackward({ ...b, normalizer: 36 });
            }
            m.optimizerStep({ lr: 3e-3, weightDecay: 0.01, maxGradNorm: 1 });
          }
          runs[`${th}-${ck}`] = m.getParameters();
        }
      const ref = runs['1-false']!;
      for (const [key, got] of Object.entries(runs))
        for (const k of Object.keys(ref)) expect(bitsEqual(got[k]!.data, ref[k]!.data), `${key} ${k}`).toBe(true);
      // and training moved every parameter
      const before = fullModel(file, spec).getParameters();
      for (const k of Object.keys(ref)) expect(bitsEqual(before[k]!.data, ref[k]!.data), k).toBe(false);
    }
  });

  it('resume from parameters + optimizer state continues bit for bit', () => {
    const spec = gpt2Spec();
    const { file } = build(spec, 45);
    const stepOnce = (m: NativeModel, s: number) => {
      m.forwardBackward(batchFor(spec, 2, 8, 200 + s));
      m.optimizerStep({ lr: 5e-3, weightDecay: 0.1, maxGradNorm: 1 });
    };
    const straight = fullModel(file, spec);
    for (let s = 0; s < 4; s++) stepOnce(straight, s);
    const first = fullModel(file, spec);
    for (let s = 0; s < 2; s++) stepOnce(first, s);
    const saved = { params: first.getParameters(), state: first.getOptimizerState() };
    const resumed = fullModel(file, spec);
    resumed.setParameters(saved.params);
    resumed.setOptimizerState(saved.state);
    for (let s = 2; s < 4; s++) stepOnce(resumed, s);
    const a = straight.getParameters(), b = resumed.getParameters();
    for (const k of Object.keys(a)) expect(bitsEqual(a[k]!.data, b[k]!.data), k).toBe(true);
  });

  it("GPT-2 files whose names carry 'transformer.' (as transformers saves GPT2LMHeadModel) keep those names", () => {
    const spec = gpt2Spec();
    const weights = randomWeights(spec, 47);
    const prefixed = Object.fromEntries(Object.entries(weights).map(([k, v]) => [`transformer.${k}`, v]));
    const file = path.join(tempDir('engine-full-'), 'model.safetensors');
    writeSafetensors(file, prefixed);
    const m = fullModel(file, spec);
    const params = m.getParameters();
    expect(Object.keys(params).sort()).toEqual(Object.keys(prefixed).sort());
    for (const [k, t] of Object.entries(prefixed)) expect(bitsEqual(params[k]!.data, t.data), k).toBe(true);
  });

  it('refuses mixing with LoRA, and names bad parameters', () => {
    const spec = llamaSpec();
    const { file } = build(spec, 46);
    const lora = new engine.Model({ ...spec, files: [file] });
    lora.addLora({ targets: ['q'], rank: 2, alpha: 4 });
    expect(() => lora.enableFullTraining()).toThrow(/has a LoRA adapter/);
    const m = fullModel(file, spec);
    expect(() => m.addLora({ targets: ['q'], rank: 2, alpha: 4 })).toThrow(/full-parameter training mode/);
    expect(() => m.setParameters({ 'model.nope.weight': new Float32Array(1) })).toThrow(/unknown parameter 'model.nope.weight'/);
    expect(() => m.setParameters({ 'model.norm.weight': new Float32Array(3) })).toThrow(/model.norm.weight/);
    expect(m.info().trainingMode).toBe('full');
    const plain = new engine.Model({ ...spec, files: [file] });
    expect(() => plain.getParameters()).toThrow(/not enabled/);
    expect(() => plain.forwardBackward(batchFor(spec, 1, 4, 1))).toThrow(/enable full-parameter training/);
  });
});

type NamedTensorMap = ReturnType<NativeModel['getParameters']>;
