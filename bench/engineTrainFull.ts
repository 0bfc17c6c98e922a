// Benchmark: one full-parameter training step of the native engine (every weight trained, AdamW
// over all 124M parameters) at GPT-2-124M shape, batch 4 x 256, beside a forward pass over the
// same batch, with the machine's peak FMA rate measured natively. Prints JSON on stdout.
//
//   npx tsx bench/engineTrainFull.ts [--threads N] [--reps R] [--layers L] [--checkpoint]
// or through the bench registry: npm run -s bench engine-train-full
//
// Napkin math (N = 1024 tokens, 85M parameters in the linears, LM head V·C = 38.6M, tied):
//   forward 2·N·85M + 2·N·V·C + attention ≈ 174 + 79 + 9.7 GFLOP ≈ 263 GFLOP.
//   backward: input gradients (the same as forward) + weight gradients dWᵀ = Xᵀ·dY (the same
//   again, the head's included) + attention twice ≈ 2x forward. So a step ≈ 3.0x forward, plus
//   AdamW over 124M parameters (memory-bound: ~16 bytes read and written per parameter).
import { mkdtempSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadNativeEngine, type NativeModelSpec } from '../main/engine/native/index.js';
import { median, writeModel } from './engineTrain';

export interface EngineTrainFullOptions {
  threads?: number;
  reps?: number;
  layers?: number;
  checkpoint?: boolean;
}

const B = 4, T = 256;
const C = 768, H = 12, D = 64, I = 3072, V = 50257, P = 1024;

// Wall and CPU seconds (all threads of the process): on a shared machine CPU time is steadier.
function time(fn: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const c = process.cpuUsage(c0);
  return { wall: Number(process.hrtime.bigint() - t0) / 1e9, cpu: (c.user + c.system) / 1e6 };
}

export async function engineTrainFull(options: EngineTrainFullOptions = {}): Promise<unknown> {
  const engine = loadNativeEngine();
  const threads = options.threads ?? engine.getThreads();
  engine.setThreads(threads);
  const reps = options.reps ?? 3;
  const L = options.layers ?? 12;
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-bench-full-'));
  const file = path.join(dir, 'model.safetensors');
  try {
    const peak = engine.peakGflops(threads, 1.0);
    writeModel(file, L);
    const spec: NativeModelSpec = {
      arch: 'gpt2', vocabSize: V, hiddenSize: C, numLayers: L, numHeads: H, numKvHeads: H, headDim: D,
      intermediateSize: I, maxPositions: P, normEps: 1e-5, ropeTheta: 10000, ropeScaling: null,
      tieWordEmbeddings: true, attentionBias: true, files: [file],
    };
    const rssBefore = process.memoryUsage().rss;
    const model = new engine.Model(spec);
    model.enableFullTraining({ gradientCheckpointing: options.checkpoint ?? false });
    const N = B * T;
    let s = 7;
    const tokens = Int32Array.from({ length: N }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % V));
    const targets = Int32Array.from({ length: N }, (_, i) => tokens[(i + 1) % N]!);
    const batch = { tokens, targets, batch: B, seq: T };

    const parameters = model.info().trainableParameters ?? 0;
    const linearParams = L * (C * 3 * C + C * C + C * I + I * C);
    const attn = L * 4 * B * H * T * T * D;
    const fwdFlops = 2 * N * linearParams + 2 * N * V * C + attn;
    // backward: input gradients + weight gradients of every linear and the head, attention x2
    const bwdFlops = 2 * (2 * N * linearParams + 2 * N * V * C) + 2 * attn;
    const stepFlops = fwdFlops + bwdFlops;

    model.evalLoss(batch); // warm-up
    const fwd = Array.from({ length: reps }, () => time(() => model.evalLoss(batch)));
    model.forwardBackward(batch);
    model.optimizerStep({ lr: 1e-4 });
    const fb: { wall: number; cpu: number }[] = [], opt: { wall: number; cpu: number }[] = [];
    let loss = 0;
    for (let r = 0; r < reps; r++) {
      fb.push(time(() => (loss = model.forwardBackward(batch).loss)));
      opt.push(time(() => model.optimizerStep({ lr: 1e-4, weightDecay: 0.1, maxGradNorm: 1 })));
    }
    const rssTrained = process.memoryUsage().rss;
    const med = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu') => median(xs.map((x) => x[k]));
    const tf = med(fwd, 'wall'), tb = med(fb, 'wall'), to = med(opt, 'wall');
    const cf = med(fwd, 'cpu'), cb = med(fb, 'cpu'), co = med(opt, 'cpu');
    const ts = tb + to, cs = cb + co;

    // The step's GEMM shapes: forward, input gradients, and the weight gradients this mode adds.
    const shapes: [string, boolean, boolean, number, number, number][] = [
      ['forward c_fc Y=X·Wᵀ (1024x3072x768)', false, true, N, I, C],
      ['input grad c_fc dX=dY·W (1024x768x3072)', false, false, N, C, I],
      ['weight grad c_fc dWᵀ=Xᵀ·dY (768x3072x1024)', true, false, C, I, N],
      ['weight grad mlp.c_proj dWᵀ=Xᵀ·dY (3072x768x1024)', true, false, I, C, N],
      ['weight grad c_attn dWᵀ=Xᵀ·dY (768x2304x1024)', true, false, C, 3 * C, N],
      ['lm head (1024x50257x768)', false, true, N, V, C],
      ['lm head grad dX=dL·Wte (1024x768x50257)', false, false, N, C, V],
      ['lm head weight grad dWteᵀ=Xᵀ·dL (768x50257x1024)', true, false, C, V, N],
    ];
    const gemms = shapes.map(([name, ta, tbb, M, Nn, K]) => {
      const sec = engine.benchGemm({ transA: ta, transB: tbb, M, N: Nn, K, iters: 2 });
      const gflops = (2 * M * Nn * K) / sec / 1e9;
      return { name, seconds: +sec.toFixed(4), gflops: Math.round(gflops), fractionOfPeak: +(gflops / peak).toFixed(3) };
    });
    return {
      bench: 'engineTrainFull',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCpus: cpus().length, threads, gemmKernel: engine.gemmKernel(), loadAverage: loadavg().map((x) => +x.toFixed(2)) },
      shape: { model: `gpt2-124M-shape (${L} layers, tied head)`, batch: B, seq: T, parameters, gradientCheckpointing: options.checkpoint ?? false },
      peakFmaGflops: Math.round(peak),
      forward: { seconds: +tf.toFixed(3), cpuSeconds: +cf.toFixed(3), tokensPerSecond: Math.round(N / tf), gflops: Math.round(fwdFlops / tf / 1e9), fractionOfPeak: +(fwdFlops / tf / 1e9 / peak).toFixed(3), gflopCount: +(fwdFlops / 1e9).toFixed(1) },
      fullStep: {
        seconds: +ts.toFixed(3), cpuSeconds: +cs.toFixed(3), tokensPerSecond: Math.round(N / ts), gflops: Math.round(stepFlops / ts / 1e9),
        fractionOfPeak: +(stepFlops / ts / 1e9 / peak).toFixed(3), gflopCount: +(stepFlops / 1e9).toFixed(1), loss,
        forwardBackwardSeconds: +tb.toFixed(3), optimizerSeconds: +to.toFixed(3), optimizerCpuSeconds: +co.toFixed(3),
      },
      stepOverForward: { wall: +(ts / tf).toFixed(3), cpu: +(cs / cf).toFixed(3), flops: +(stepFlops / fwdFlops).toFixed(3) },
      memory: { trainingBytesPerParameter: +((rssTrained - rssBefore) / parameters).toFixed(2), note: 'RSS growth over loading, enabling full training and the steps (weights, grads, AdamW moments, activations)' },
      targets: { gemmFractionOfPeak: 0.6, stepOverForwardMax: 3.3 },
      gemms,
      runs: { forward: fwd, forwardBackward: fb, optimizer: opt },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const arg = (name: string): number | undefined => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? Number(args[i + 1]) : undefined;
  };
  const out = await engineTrainFull({ threads: arg('threads'), reps: arg('reps'), layers: arg('layers'), checkpoint: args.includes('--checkpoint') });
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}
