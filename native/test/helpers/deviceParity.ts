// Run as a child process (node --import tsx) with STUDIO_CUDA_LIBRARY set, so the addon loads that
// backend on first use: the same tiny GPT-2 (tied head) and Llama (GQA, untied, q/k/v bias, llama3 RoPE) on backend 'cuda' and 'cpu', every call the
// engine offers compared, printed as one JSON document {device, checks: [{name, err, tol}]}.
// err is the max abs difference over the max abs value of the CPU result (relative), or the abs
// difference for exact/scalar checks. deviceBackend.test.ts asserts err <= tol for every check.
import { loadNativeEngine, type NativeModel, type NativeModelSpec, type TrainBatch } from '../../../main/engine/native/index.js';
import { gpt2Spec, llamaSpec, randn, rng, writeTinyModel, type SpecNoFiles } from './tinyModels.js';

const engine = loadNativeEngine();
const checks: { name: string; err: number; tol: number }[] = [];
const devices: string[] = [];

function rel(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0, m = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return Infinity;
    d = Math.max(d, Math.abs(x - y));
    m = Math.max(m, Math.abs(y));
  }
  return m > 0 ? d / m : d;
}
const check = (name: string, err: number, tol: number): void => {
  checks.push({ name, err, tol });
};
const cmp = (name: string, gpu: Float32Array, cpu: Float32Array, tol: number) => check(name, rel(gpu, cpu), tol);
const scalar = (name: string, gpu: number, cpu: number, tol: number) => check(name, Math.abs(gpu - cpu) / Math.max(Math.abs(cpu), 1e-30), tol);
function cmpTensors(name: string, gpu: Record<string, { data: Float32Array } | Float32Array>, cpu: Record<string, { data: Float32Array } | Float32Array>, tol: number): void {
  const data = (v: { data: Float32Array } | Float32Array) => (v instanceof Float32Array ? v : v.data);
  const keys = Object.keys(cpu);
  if (keys.length === 0 || keys.join() !== Object.keys(gpu).join()) return check(`${name} (names)`, Infinity, 0);
  check(name, Math.max(...keys.map((k) => rel(data(gpu[k]!), data(cpu[k]!)))), tol);
}

function batchFor(spec: SpecNoFiles, B: number, T: number, seed: number, withMask: boolean): TrainBatch {
  const r = rng(seed);
  const tokens = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
  const targets = Int32Array.from({ length: B * T }, (_, i) => (i % T === 0 ? -1 : Math.floor(r() * spec.vocabSize)));
  const b: TrainBatch = { tokens, targets, batch: B, seq: T };
  if (withMask) b.mask = Float32Array.from({ length: B * T }, (_, i) => (i % 3 === 1 ? 0 : 1));
  return b;
}

function run(name: string, spec: SpecNoFiles, targets: string[]): void {
  const full: NativeModelSpec = writeTinyModel(spec, 7);
  const cpu = new engine.Model({ ...full, backend: 'cpu' });
  const gpu = new engine.Model({ ...full, backend: 'cuda' });
  const info = gpu.info().backend;
  check(`${name}: info().backend is cuda with a device name and bytes`, info.kind === 'cuda' && info.device && (info.deviceBytes ?? 0) > 0 && !info.fallbackReason ? 0 : Infinity, 0);
  check(`${name}: info().backend.precision is fp32 by default`, info.precision === 'fp32' ? 0 : Infinity, 0);
  // The frozen matrices live on the device only: the host keeps norms, biases and tables.
  check(`${name}: host weight bytes below 0.2x the CPU model's once on the device`, (gpu.info().weightBytes ?? Infinity) / cpu.info().weightBytes!, 0.2);
  devices.push(info.device ?? '');
  const both = <T>(f: (m: NativeModel) => T): [T, T] => [f(gpu), f(cpu)];
  const V = spec.vocabSize;

  // base forward
  const fb = batchFor(spec, 2, 7, 1, false);
  cmp(`${name}: forward logits`, ...both((m) => m.forward(fb.tokens, 2, 7)), 1e-4);

  // sessions: uneven batch with lengths, then steps; and allLogits
  const prompts = [[5, 9, 2, 7, 1], [4], [6, 6, 2]].map((p) => p.map((t) => t % V));
  const n = 5;
  const tok = new Int32Array(3 * n).fill(V - 1);
  prompts.forEach((p, b) => tok.set(p, b * n + n - p.length));
  const lengths = Int32Array.from(prompts, (p) => p.length);
  const [sg, sc] = both((m) => new engine.Session(m, { batch: 3, capacity: 12 }));
  cmp(`${name}: session prefill with lengths`, sg.prefill(tok, { lengths }), sc.prefill(tok, { lengths }), 1e-4);
  for (let k = 0; k < 3; k++) {
    const t = Int32Array.from([k + 1, k + 2, k + 3].map((x) => x % V));
    cmp(`${name}: session step ${k + 1}`, sg.step(t), sc.step(t), 1e-4);
  }
  sg.reset();
  sc.reset();
  cmp(`${name}: session prefill allLogits after reset`, sg.prefill(tok, { allLogits: true }), sc.prefill(tok, { allLogits: true }), 1e-4);
  cmp(`${name}: session step after allLogits`, sg.step(Int32Array.of(1, 2, 3)), sc.step(Int32Array.of(1, 2, 3)), 1e-4);

  // LoRA: the host initialises both alike; random B too so every gradient is non-trivial
  both((m) => m.addLora({ targets, rank: 2, alpha: 4, dropout: 0.1, seed: 3 }));
  cmpTensors(`${name}: LoRA init (exact)`, gpu.getLoraTensors(), cpu.getLoraTensors(), 0);
  const r = rng(5);
  const rand = Object.fromEntries(Object.entries(cpu.getLoraTensors()).map(([k, v]) => [k, randn(r, v.data.length, 0.15)]));
  both((m) => m.setLoraTensors(rand));
  cmpTensors(`${name}: setLoraTensors round trip (exact)`, gpu.getLoraTensors(), cpu.getLoraTensors(), 0);
  cmp(`${name}: forward logits with LoRA`, ...both((m) => m.forward(fb.tokens, 2, 7)), 1e-4);

  // training: 3 steps of 2 micro-batches, dropout on, clipping active, weight decay
  const adam = { lr: 2e-3, weightDecay: 0.01, maxGradNorm: 0.05 };
  for (let step = 0; step < 3; step++) {
    for (let micro = 0; micro < 2; micro++) {
      const b = { ...batchFor(spec, 2, 8, 100 + step * 2 + micro, true), normalizer: 20 };
      const [lg, lc] = both((m) => m.forwardBackward(b));
      scalar(`${name}: step ${step + 1}.${micro + 1} loss`, lg.loss, lc.loss, 1e-5);
      scalar(`${name}: step ${step + 1}.${micro + 1} weight`, lg.weight, lc.weight, 0);
    }
    cmpTensors(`${name}: step ${step + 1} accumulated grads`, gpu.getLoraGrads(), cpu.getLoraGrads(), 1e-4);
    const [og, oc] = both((m) => m.optimizerStep(adam));
    scalar(`${name}: step ${step + 1} grad norm`, og.gradNorm, oc.gradNorm, 1e-4);
    check(`${name}: step ${step + 1} clips (grad norm above maxGradNorm)`, oc.gradNorm > adam.maxGradNorm ? 0 : Infinity, 0);
    scalar(`${name}: step ${step + 1} step count`, og.step, oc.step, 0);
  }
  cmpTensors(`${name}: grads zeroed by the step`, gpu.getLoraGrads(), cpu.getLoraGrads(), 0);
  cmpTensors(`${name}: LoRA factors after 3 steps`, gpu.getLoraTensors(), cpu.getLoraTensors(), 1e-4);
  const [stg, stc] = both((m) => m.getOptimizerState());
  scalar(`${name}: optimizer step`, stg.step, stc.step, 0);
  scalar(`${name}: dropout counter`, stg.dropoutCounter, stc.dropoutCounter, 0);
  cmpTensors(`${name}: AdamW m`, stg.m, stc.m, 1e-4);
  cmpTensors(`${name}: AdamW v`, stg.v, stc.v, 2e-4);

  // eval loss (no dropout), masked
  const eb = batchFor(spec, 3, 9, 300, true);
  const [eg, ec] = both((m) => m.evalLoss(eb));
  scalar(`${name}: evalLoss`, eg.loss, ec.loss, 1e-5);

  // projected gradients leave the accumulated gradients as they were
  const acc = batchFor(spec, 1, 8, 400, false);
  both((m) => m.forwardBackward({ ...acc, dropout: false }));
  const pb = { ...batchFor(spec, 3, 8, 500, true), dim: 64, seed: 9 };
  cmp(`${name}: projectedExampleGrads`, ...both((m) => m.projectedExampleGrads(pb)), 1e-4);
  const tb = { ...batchFor(spec, 1, 8, 600, false), dim: 32, seed: 4 };
  const [tg, tc] = both((m) => m.projectedTokenGrads(tb));
  check(`${name}: projectedTokenGrads positions (exact)`, tg.positions.join() === tc.positions.join() ? 0 : Infinity, 0);
  cmp(`${name}: projectedTokenGrads`, tg.grads, tc.grads, 1e-4);
  cmpTensors(`${name}: accumulated grads restored after projections`, gpu.getLoraGrads(), cpu.getLoraGrads(), 1e-4);
  both((m) => m.zeroGrad());
  cmpTensors(`${name}: zeroGrad`, gpu.getLoraGrads(), cpu.getLoraGrads(), 0);

  // gradient checkpointing through the JS option: same gradient bits on the device, and as the CPU's
  const cb = batchFor(spec, 2, 8, 450, true);
  gpu.forwardBackward({ ...cb, dropout: false });
  const plain = gpu.getLoraGrads();
  gpu.zeroGrad();
  both((m) => m.forwardBackward({ ...cb, dropout: false, checkpoint: true }));
  cmpTensors(`${name}: checkpoint: true gives the device the same gradients (exact)`, gpu.getLoraGrads(), plain, 0);
  cmpTensors(`${name}: checkpointed gradients equal the CPU's`, gpu.getLoraGrads(), cpu.getLoraGrads(), 1e-4);
  both((m) => m.zeroGrad());

  // optimizer state and factors set from outside (a checkpoint restored) reach the device
  const state = cpu.getOptimizerState();
  const factors = cpu.getLoraTensors();
  gpu.setOptimizerState(state);
  gpu.setLoraTensors(factors);
  const sb = { ...batchFor(spec, 2, 8, 700, true) };
  both((m) => m.forwardBackward(sb));
  const [ng, nc] = both((m) => m.optimizerStep(adam));
  scalar(`${name}: step after restoring state: grad norm`, ng.gradNorm, nc.gradNorm, 1e-4);
  cmpTensors(`${name}: factors after restoring state and stepping`, gpu.getLoraTensors(), cpu.getLoraTensors(), 1e-4);
  cmpTensors(`${name}: AdamW m after restoring state and stepping`, gpu.getOptimizerState().m, cpu.getOptimizerState().m, 1e-4);
  both((m) => m.releaseTrainingBuffers());
  cmp(`${name}: forward after training`, ...both((m) => m.forward(fb.tokens, 2, 7)), 1e-4);
}

// precision 'bf16' (bf16 weights on the device, activations rounded to bf16 before each product
// with them) against the CPU holding the same bf16 weights (weightDtype 'bf16'): one forward and
// one training step through the JS option. Tolerances as native/cuda/test/model_test.cpp states
// them for bf16 mode (~1e-2: the activation rounding is the one difference).
function runBf16(name: string, spec: SpecNoFiles, targets: string[]): void {
  const full: NativeModelSpec = writeTinyModel(spec, 7);
  const cpu = new engine.Model({ ...full, backend: 'cpu', weightDtype: 'bf16', precision: 'bf16' });  // precision: ignored on the CPU
  const gpu = new engine.Model({ ...full, backend: 'cuda', precision: 'bf16' });
  const f32Bytes = new engine.Model({ ...full, backend: 'cuda' }).info().backend.deviceBytes ?? 0;
  const info = gpu.info().backend;
  check(`${name} bf16: info().backend.precision is bf16`, info.kind === 'cuda' && info.precision === 'bf16' && cpu.info().backend.precision === undefined ? 0 : Infinity, 0);
  check(`${name} bf16: device bytes below 0.6x the fp32 model's`, (info.deviceBytes ?? Infinity) / f32Bytes, 0.6);
  const both = <T>(f: (m: NativeModel) => T): [T, T] => [f(gpu), f(cpu)];
  const fb = batchFor(spec, 2, 7, 1, false);
  const [lg, lc] = both((m) => m.forward(fb.tokens, 2, 7));
  cmp(`${name} bf16: forward logits`, lg, lc, 2e-2);
  check(`${name} bf16: forward logits differ from f32 activations by > 5e-4 (activations rounded)`, rel(lg, lc) > 5e-4 ? 0 : Infinity, 0);
  both((m) => m.addLora({ targets, rank: 2, alpha: 4, dropout: 0.1, seed: 3 }));
  const r = rng(5);
  const rand = Object.fromEntries(Object.entries(cpu.getLoraTensors()).map(([k, v]) => [k, randn(r, v.data.length, 0.15)]));
  both((m) => m.setLoraTensors(rand));
  const b = { ...batchFor(spec, 2, 8, 100, true), normalizer: 20 };
  const [tg, tc] = both((m) => m.forwardBackward(b));
  scalar(`${name} bf16: training loss`, tg.loss, tc.loss, 2e-3);
  cmpTensors(`${name} bf16: LoRA gradients`, gpu.getLoraGrads(), cpu.getLoraGrads(), 4e-2);
  const [og, oc] = both((m) => m.optimizerStep({ lr: 2e-3, weightDecay: 0.01, maxGradNorm: 0.05 }));
  scalar(`${name} bf16: grad norm`, og.gradNorm, oc.gradNorm, 1e-2);
  cmpTensors(`${name} bf16: LoRA factors after the step`, gpu.getLoraTensors(), cpu.getLoraTensors(), 3e-2);
}

run('gpt2', gpt2Spec(), ['c_attn', 'c_proj', 'c_fc']);
run('llama', llamaSpec(), ['q', 'k', 'v', 'o', 'gate', 'up', 'down']);
runBf16('gpt2', gpt2Spec(), ['c_attn', 'c_proj', 'c_fc']);
runBf16('llama', llamaSpec(), ['q', 'k', 'v', 'o', 'gate', 'up', 'down']);
process.stdout.write(`${JSON.stringify({ status: engine.deviceStatus(), devices, checks })}\n`);
