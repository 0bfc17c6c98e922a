// Benchmark: one LoRA training step of the native engine at GPT-2-124M shape (batch 4, seq 256,
// rank 16 on every linear layer) against a forward pass over the same batch, with the machine's
// peak FMA rate measured natively. Prints JSON on stdout.
//
//   npx tsx bench/engineTrain.ts [--threads N] [--reps R] [--layers L]
// or through the bench registry as engineTrain() (bench/benches.ts).
//
// Napkin math (N = B*T tokens, C = 768, V = 50257, 12 layers, 85M params in linears):
//   forward linears 2·N·85M ≈ 174 GFLOP, LM head 2·N·V·C ≈ 79 GFLOP, attention (full T×T per head,
//   QKᵀ and PV) 4·B·H·T²·D·12 ≈ 9.7 GFLOP.
//   A LoRA step adds the input-gradient GEMMs (the same FLOPs as forward for linears and head,
//   twice the attention) and the small LoRA GEMMs; no base-weight gradients. So ≈ 2.0x forward.
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadNativeEngine, type NativeModelSpec } from '../main/engine/native/index.js';

export interface EngineTrainOptions {
  threads?: number;
  reps?: number;
  layers?: number;
}

const B = 4, T = 256, rank = 16;
const C = 768, H = 12, D = 64, I = 3072, V = 50257, P = 1024;

// Random weights, written as one f32 safetensors file without per-element JS work.
export function writeModel(file: string, L: number): void {
  let seed = 12345;
  const fill = (n: number, std: number, mean = 0) => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      a[i] = mean + ((seed / 4294967296) * 2 - 1) * std * 1.732;
    }
    return a;
  };
  const tensors: [string, number[], Float32Array][] = [];
  const put = (name: string, shape: number[], std: number, mean = 0) => tensors.push([name, shape, fill(shape.reduce((x, y) => x * y, 1), std, mean)]);
  put('wte.weight', [V, C], 0.02);
  put('wpe.weight', [P, C], 0.01);
  for (let l = 0; l < L; l++) {
    const h = `h.${l}.`;
    put(h + 'ln_1.weight', [C], 0.0, 1);
    put(h + 'ln_1.bias', [C], 0.0);
    put(h + 'attn.c_attn.weight', [C, 3 * C], 0.02);
    put(h + 'attn.c_attn.bias', [3 * C], 0.0);
    put(h + 'attn.c_proj.weight', [C, C], 0.02);
    put(h + 'attn.c_proj.bias', [C], 0.0);
    put(h + 'ln_2.weight', [C], 0.0, 1);
    put(h + 'ln_2.bias', [C], 0.0);
    put(h + 'mlp.c_fc.weight', [C, I], 0.02);
    put(h + 'mlp.c_fc.bias', [I], 0.0);
    put(h + 'mlp.c_proj.weight', [I, C], 0.02);
    put(h + 'mlp.c_proj.bias', [C], 0.0);
  }
  put('ln_f.weight', [C], 0.0, 1);
  put('ln_f.bias', [C], 0.0);
  const header: Record<string, unknown> = {};
  let off = 0;
  for (const [name, shape, data] of tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [off, off + data.byteLength] };
    off += data.byteLength;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(file, 'w');
  writeSync(fd, len);
  writeSync(fd, json);
  for (const [, , data] of tensors) writeSync(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  closeSync(fd);
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
// Wall seconds, and CPU seconds of the whole process (all threads): on a shared machine the CPU
// time is the steadier figure; wall ≈ cpu / threads when nothing else runs.
const cpuLog: number[] = [];
function time(fn: () => void): number {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  fn();
  const c = process.cpuUsage(c0);
  cpuLog.push((c.user + c.system) / 1e6);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

export async function engineTrain(options: EngineTrainOptions = {}): Promise<unknown> {
const engine = loadNativeEngine();
const threads = options.threads ?? engine.getThreads();
engine.setThreads(threads);
const reps = options.reps ?? 3;
const L = options.layers ?? 12;
const dir = mkdtempSync(path.join(tmpdir(), 'engine-bench-'));
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
  const rssLoaded = process.memoryUsage().rss;
  model.addLora({ targets: ['c_attn', 'c_proj', 'c_fc'], rank, alpha: 32, seed: 1 });
  const N = B * T;
  let s = 7;
  const tokens = Int32Array.from({ length: N }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % V));
  const targets = Int32Array.from({ length: N }, (_, i) => tokens[(i + 1) % N]!);
  const batch = { tokens, targets, batch: B, seq: T };

  const paramCount = V * C + P * C + L * (C * 3 * C + 3 * C + C * C + C + C * I + I + I * C + C + 4 * C) + 2 * C;
  // FLOPs (multiply-add = 2)
  const linearParams = L * (C * 3 * C + C * C + C * I + I * C);
  const loraPerToken = L * rank * ((C + 3 * C) + (C + C) + (C + I) + (I + C)); // A and B of each linear
  const attn = L * 4 * B * H * T * T * D; // QKᵀ and PV, full T×T
  const fwdFlops = 2 * N * linearParams + 2 * N * V * C + attn + 2 * N * loraPerToken;
  // backward: dX through base linears and head, attention ×2, LoRA: dB, du, dA, dx (4 small GEMMs)
  const bwdFlops = 2 * N * linearParams + 2 * N * V * C + 2 * attn + 4 * 2 * N * loraPerToken;
  const stepFlops = fwdFlops + bwdFlops;

  model.evalLoss(batch); // warm-up
  const fwd: number[] = [];
  cpuLog.length = 0;
  for (let r = 0; r < reps; r++) fwd.push(time(() => model.evalLoss(batch)));
  const fwdCpu = [...cpuLog];
  model.forwardBackward(batch);
  model.optimizerStep({ lr: 1e-4 });
  cpuLog.length = 0;
  cpuLog.push(...fwdCpu);
  const step: number[] = [];
  let loss = 0;
  for (let r = 0; r < reps; r++)
    step.push(time(() => {
      loss = model.forwardBackward(batch).loss;
      model.optimizerStep({ lr: 1e-4, maxGradNorm: 1 });
    }));
  const stepCpu = cpuLog.slice(fwdCpu.length + 0);
  const rssTrained = process.memoryUsage().rss;
  const tf = median(fwd), ts = median(step);
  const cf = median(fwdCpu), cs = median(stepCpu.slice(-reps));

  // GEMM throughput at the step's shapes: forward X·Wᵀ, input gradient dY·W, LoRA dA = dUᵀ·X and
  // dB = dYᵀ·U, the LM head and its gradient.
  const shapes: [string, boolean, boolean, number, number, number][] = [
    ['forward c_fc  Y=X·Wᵀ (1024x3072x768)', false, true, N, I, C],
    ['forward c_attn Y=X·Wᵀ (1024x2304x768)', false, true, N, 3 * C, C],
    ['input grad c_fc dX=dY·W (1024x768x3072)', false, false, N, C, I],
    ['lm head (1024x50257x768)', false, true, N, V, C],
    ['lm head grad dX=dL·Wte (1024x768x50257)', false, false, N, C, V],
    ['lora dA=dUᵀ·X (16x768x1024)', true, false, rank, C, N],
    ['lora dB=dYᵀ·U (3072x16x1024)', true, false, I, rank, N],
  ];
  const gemms = shapes.map(([name, ta, tb, M, Nn, K]) => {
    const sec = engine.benchGemm({ transA: ta, transB: tb, M, N: Nn, K, iters: 3 });
    const gflops = (2 * M * Nn * K) / sec / 1e9;
    return { name, seconds: sec, gflops: Math.round(gflops), fractionOfPeak: +(gflops / peak).toFixed(3) };
  });

  // decoding with the KV cache, batch 1, the adapter applied (memory-bound: ~0.5 GB of f32
  // weights read per token)
  const session = new engine.Session(model, { batch: 1, capacity: 512 });
  session.prefill(tokens.subarray(0, 64));
  const decodeSteps = 32;
  const dec = time(() => {
    for (let i = 0; i < decodeSteps; i++) session.step(tokens.subarray(64 + i, 65 + i));
  });

  // per-example projected gradients (attribution): batch of 4 sequences to 128 dims
  const proj = time(() => model.projectedExampleGrads({ ...batch, dim: 128, seed: 1 }));

  const out = {
    bench: 'engineTrain',
    date: new Date().toISOString(),
    machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCpus: cpus().length, threads, gemmKernel: engine.gemmKernel() },
    shape: { model: `gpt2-124M-shape (${L} layers)`, batch: B, seq: T, rank, loraTargets: 'c_attn, attn.c_proj, c_fc, mlp.c_proj', loraParameters: model.info().loraParameters },
    peakFmaGflops: Math.round(peak),
    forward: { seconds: +tf.toFixed(3), tokensPerSecond: Math.round(N / tf), gflops: Math.round(fwdFlops / tf / 1e9), fractionOfPeak: +(fwdFlops / tf / 1e9 / peak).toFixed(3), gflopCount: +(fwdFlops / 1e9).toFixed(1) },
    trainStep: { seconds: +ts.toFixed(3), tokensPerSecond: Math.round(N / ts), gflops: Math.round(stepFlops / ts / 1e9), fractionOfPeak: +(stepFlops / ts / 1e9 / peak).toFixed(3), gflopCount: +(stepFlops / 1e9).toFixed(1), loss },
    stepOverForward: +(ts / tf).toFixed(3),
    memory: {
      parameters: paramCount,
      inferenceBytesPerParameter: +((rssLoaded - rssBefore) / paramCount).toFixed(2),
      trainingBytesPerParameter: +((rssTrained - rssBefore) / paramCount).toFixed(2),
      note: 'RSS growth over the process after loading the f32 model, and after training steps (activations kept between steps)',
    },
    decode: { batch: 1, promptTokens: 64, steps: decodeSteps, tokensPerSecond: +(decodeSteps / dec).toFixed(1) },
    projectedExampleGrads: { dim: 128, examples: B, seconds: +proj.toFixed(3), cpuSeconds: +cpuLog[cpuLog.length - 1]!.toFixed(3) },
    cpuSeconds: { forward: +cf.toFixed(3), trainStep: +cs.toFixed(3), stepOverForward: +(cs / cf).toFixed(3), loadAverage: loadavg().map((x) => +x.toFixed(2)) },
    targets: { gemmFractionOfPeak: 0.5, stepOverForwardMax: 2.3 },
    gemms,
    runs: { forwardSeconds: fwd.map((x) => +x.toFixed(3)), stepSeconds: step.map((x) => +x.toFixed(3)), forwardCpuSeconds: fwdCpu.map((x) => +x.toFixed(3)), stepCpuSeconds: stepCpu.map((x) => +x.toFixed(3)) },
  };
  return out;
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
  const out = await engineTrain({ threads: arg('threads'), reps: arg('reps'), layers: arg('layers') });
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}
