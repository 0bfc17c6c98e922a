// Micro-benchmark of batch-1 decoding at GPT-2-124M shape (random weights): tokens/s of
// Session.step with wall and process CPU time, and a per-token breakdown from benchGemm at the
// decode shapes (one row times each weight). JSON on stdout.
//
//   npx tsx native/tools/decodeBench.ts [--threads N] [--steps S] [--prompt P] [--dtype f32|f16|bf16] [--layers L]
//   (--prompt: tokens already in the cache before the timed steps, default 64; attention's share
//   of a step grows with it)
//   npx tsx native/tools/decodeBench.ts --train [--checkpoint] [--dtype ...]   (memory of a LoRA step)
//
// Napkin math: a token reads every weight once: 85M linear + 38.6M LM head (tied wte) values,
// 0.5 GB in f32 (0.25 GB in f16/bf16); at ~30 GB/s on 2 threads that is ~60 (~120) tokens/s.
import { mkdtempSync, openSync, rmSync, writeSync, closeSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { loadNativeEngine } from '../../main/engine/native/index.js';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const C = 768, H = 12, D = 64, I = 3072, V = 50257, P = 1024;
const L = Number(arg('layers') ?? 12);
const steps = Number(arg('steps') ?? 32);
const promptLen = Number(arg('prompt') ?? 64);
const dtype = (arg('dtype') ?? 'f32') as 'f32' | 'f16' | 'bf16';

// Streams the tensors to the file one at a time, so the bench's own peak memory stays small.
function writeModel(file: string): number {
  let seed = 12345;
  const specs: [string, number[], number, number][] = [['wte.weight', [V, C], 0.02, 0], ['wpe.weight', [P, C], 0.01, 0]];
  for (let l = 0; l < L; l++) {
    const h = `h.${l}.`;
    specs.push([h + 'ln_1.weight', [C], 0, 1], [h + 'ln_1.bias', [C], 0, 0], [h + 'attn.c_attn.weight', [C, 3 * C], 0.02, 0], [h + 'attn.c_attn.bias', [3 * C], 0, 0]);
    specs.push([h + 'attn.c_proj.weight', [C, C], 0.02, 0], [h + 'attn.c_proj.bias', [C], 0, 0], [h + 'ln_2.weight', [C], 0, 1], [h + 'ln_2.bias', [C], 0, 0]);
    specs.push([h + 'mlp.c_fc.weight', [C, I], 0.02, 0], [h + 'mlp.c_fc.bias', [I], 0, 0], [h + 'mlp.c_proj.weight', [I, C], 0.02, 0], [h + 'mlp.c_proj.bias', [C], 0, 0]);
  }
  specs.push(['ln_f.weight', [C], 0, 1], ['ln_f.bias', [C], 0, 0]);
  const header: Record<string, unknown> = {};
  let off = 0, params = 0;
  for (const [name, shape] of specs) {
    const n = shape.reduce((x, y) => x * y, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [off, off + 4 * n] };
    off += 4 * n;
    params += n;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const fd = openSync(file, 'w');
  writeSync(fd, len);
  writeSync(fd, json);
  const buf = new Float32Array(V * C); // the largest tensor; reused so the writer leaves no garbage behind
  for (const [, shape, std, mean] of specs) {
    const a = buf.subarray(0, shape.reduce((x, y) => x * y, 1));
    for (let i = 0; i < a.length; i++) {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      a[i] = mean + ((seed / 4294967296) * 2 - 1) * std * 1.732;
    }
    writeSync(fd, new Uint8Array(a.buffer, 0, a.byteLength));
  }
  closeSync(fd);
  return params;
}

const engine = loadNativeEngine() as ReturnType<typeof loadNativeEngine> & Record<string, any>;
const threads = Number(arg('threads') ?? engine.getThreads());
engine.setThreads(threads);
const dir = mkdtempSync(path.join(tmpdir(), 'decode-bench-'));
try {
  const file = path.join(dir, 'model.safetensors');
  const params = writeModel(file);
  const rss0 = process.memoryUsage().rss;
  const spec = {
    arch: 'gpt2', vocabSize: V, hiddenSize: C, numLayers: L, numHeads: H, numKvHeads: H, headDim: D,
    intermediateSize: I, maxPositions: P, normEps: 1e-5, ropeTheta: 10000, ropeScaling: null,
    tieWordEmbeddings: true, attentionBias: true, files: [file], weightDtype: dtype,
  } as const;
  const model = new engine.Model(spec as never);
  const rss1 = process.memoryUsage().rss;
  if (args.includes('--train')) {
    // One LoRA step at the training bench's shape (batch 4 x 256, rank 16 on every linear layer).
    const Bt = 4, Tt = 256, checkpoint = args.includes('--checkpoint');
    model.addLora({ targets: ['c_attn', 'c_proj', 'c_fc'], rank: 16, alpha: 32, seed: 1, gradientCheckpointing: checkpoint });
    let q = 7;
    const tokens = Int32Array.from({ length: Bt * Tt }, () => ((q = (Math.imul(q, 1103515245) + 12345) >>> 0) % V));
    const targets = Int32Array.from(tokens, (_, i) => tokens[(i + 1) % tokens.length]!);
    const runs: { wall: number; cpu: number }[] = [];
    let loss = 0;
    for (let r = 0; r < 2; r++) {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      loss = model.forwardBackward({ tokens, targets, batch: Bt, seq: Tt }).loss;
      model.optimizerStep({ lr: 1e-4 });
      const cu = process.cpuUsage(c0);
      runs.push({ wall: +(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3), cpu: +((cu.user + cu.system) / 1e6).toFixed(3) });
    }
    const rss2 = process.memoryUsage().rss;
    process.stdout.write(JSON.stringify({
      bench: 'decodeBench --train', date: new Date().toISOString(), cpu: cpus()[0]?.model, threads, weightDtype: dtype, checkpoint,
      batch: Bt, seq: Tt, loss, steps: runs,
      memory: {
        parameters: params,
        inferenceBytesPerParameter: +((rss1 - rss0) / params).toFixed(2),
        weightBytesPerParameter: +((model.info().weightBytes ?? 0) / params).toFixed(2),
        trainingBytesPerParameter: +((rss2 - rss0) / params).toFixed(2),
        peakRssBytesPerParameter: +((process.resourceUsage().maxRSS * 1024 - rss0) / params).toFixed(2),
        note: 'RSS growth over the process before loading; peak = maxRSS (includes the f32 load transient)',
      },
      loadAverage: loadavg().map((x) => +x.toFixed(2)),
    }, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }
  if (promptLen + steps > P) throw new Error(`--prompt + --steps: at most ${P} positions`);
  const session = new engine.Session(model, { batch: 1, capacity: promptLen + steps });
  let s = 7;
  const tokens = Int32Array.from({ length: promptLen + steps }, () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) % V));
  session.prefill(tokens.subarray(0, promptLen));
  session.step(tokens.subarray(promptLen, promptLen + 1)); // warm-up
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 1; i < steps; i++) session.step(tokens.subarray(promptLen + i, promptLen + i + 1));
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cu = process.cpuUsage(c0);
  const cpu = (cu.user + cu.system) / 1e6;
  const n = steps - 1;
  // per-token GEMV time at each weight shape (best of 5), times its count per token
  const shapes: [string, number, number, number][] = [
    ['c_attn 1x2304x768', 3 * C, C, L], ['attn.c_proj 1x768x768', C, C, L],
    ['c_fc 1x3072x768', I, C, L], ['mlp.c_proj 1x768x3072', C, I, L], ['lm head 1x50257x768', V, C, 1],
  ];
  let gemvTotal = 0;
  const breakdown = shapes.map(([name, N, K, count]) => {
    const sec = engine.benchGemm({ transA: false, transB: true, M: 1, N, K, iters: 5, bDtype: dtype });
    gemvTotal += sec * count;
    return { name, msPerCall: +(sec * 1e3).toFixed(3), msPerToken: +(sec * count * 1e3).toFixed(2), gbPerSecond: +((N * K * (dtype === 'f32' ? 4 : 2)) / sec / 1e9).toFixed(1) };
  });
  process.stdout.write(JSON.stringify({
    bench: 'decodeBench', date: new Date().toISOString(), cpu: cpus()[0]?.model, threads, gemmKernel: engine.gemmKernel(), weightDtype: dtype,
    layers: L, promptTokens: promptLen, steps: n,
    tokensPerSecond: +(n / wall).toFixed(1), msPerToken: +((wall / n) * 1e3).toFixed(2), cpuMsPerToken: +((cpu / n) * 1e3).toFixed(2),
    gemvMsPerToken: +(gemvTotal * 1e3).toFixed(2), otherMsPerToken: +((wall / n - gemvTotal) * 1e3).toFixed(2),
    breakdown,
    memory: { parameters: params, inferenceBytesPerParameter: +((rss1 - rss0) / params).toFixed(2), weightBytesPerParameter: +((model.info().weightBytes ?? 0) / params).toFixed(2), note: 'RSS growth from loading the model; weight bytes from info()' },
    loadAverage: loadavg().map((x) => +x.toFixed(2)),
  }, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
