// Decode speed of the native engine against llama.cpp (node-llama-cpp) on the same GPT-2-small-
// shaped weights, in f32 and f16, reporting process CPU time per token beside wall time: on the
// shared 2-core machine wall time swings with other people's work, while CPU time per token of a
// single-threaded decode (no spinning worker threads to inflate it) is the steadier figure.
// bench/engineGenerate.ts is the project's bench; this tool adds the CPU-time view and f16.
//
//   npx tsx native/tools/llamaCompare.ts [--threads 1] [--tokens 48] [--prompt 16] [--kv f32|f16]
// --prompt: tokens in the cache before decoding starts (attention's share grows with it).
// --kv: llama.cpp's KV cache type (f32 like the native engine's; f16 is llama.cpp's default).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type Token } from 'node-llama-cpp';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel.js';
import { exportGguf } from '../../main/engine/gguf/exportGguf.js';
import { modelSpecWithFiles } from '../../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine } from '../../main/engine/native/index.js';

const args = process.argv.slice(2);
const arg = (name: string, dflt: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const threads = arg('threads', 1), N = arg('tokens', 48);
const kvArg = args.indexOf('--kv') >= 0 ? args[args.indexOf('--kv') + 1] : 'f32';
if (kvArg !== 'f32' && kvArg !== 'f16') throw new Error(`--kv: expected f32 or f16, got ${kvArg}`);
const kv = kvArg === 'f32' ? 'F32' : 'F16';
const SHAPE = { hiddenSize: 768, numLayers: 12, numHeads: 12, numKvHeads: 12, headDim: 64, intermediateSize: 3072, maxPositions: 1024 };
const prompt = Array.from({ length: arg('prompt', 16) }, (_, i) => (i * 997 + 13) % 50000);
const capacity = prompt.length + N + 8;

interface Rate { tokensPerSecond: number; cpuMsPerToken: number }
function timed(fn: () => void | Promise<void>): Promise<Rate> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  return Promise.resolve(fn()).then(() => {
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const c = process.cpuUsage(c0);
    return { tokensPerSecond: +(N / wall).toFixed(1), cpuMsPerToken: +(((c.user + c.system) / 1e3) / N).toFixed(2) };
  });
}
const argmax = (v: Float32Array) => v.reduce((b, x, i, a) => (x > a[b]! ? i : b), 0);

const engine = loadNativeEngine();
engine.setThreads(threads);
const dir = mkdtempSync(path.join(tmpdir(), 'llama-compare-'));
const out: Record<string, unknown> = { tool: 'llamaCompare', date: new Date().toISOString(), cpu: cpus()[0]?.model, threads, decodedTokens: N, promptTokens: prompt.length };
try {
  const built = buildTestModel(path.join(dir, 'hf'), { family: 'gpt2', seed: 7, overrides: SHAPE });
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, maxThreads: threads });
  for (const dtype of ['f32', 'f16'] as const) {
    const model = new engine.Model({ ...modelSpecWithFiles(built.dir), weightDtype: dtype });
    const s = new engine.Session(model, { batch: 1, capacity });
    const native: Rate[] = [];
    for (let r = 0; r < 3; r++) {
      s.reset();
      let next = argmax(s.prefill(Int32Array.from(prompt)));
      native.push(await timed(() => {
        for (let i = 0; i < N; i++) next = argmax(s.step(Int32Array.of(next)));
      }));
    }
    const gguf = path.join(dir, `model-${dtype}.gguf`);
    exportGguf(built.dir, gguf, { dtype: dtype === 'f32' ? 'F32' : 'F16' });
    const lm = await llama.loadModel({ modelPath: gguf });
    const ctx = await lm.createContext({ contextSize: capacity, threads: { ideal: threads, min: threads }, experimentalKvCacheKeyType: kv, experimentalKvCacheValueType: kv });
    const seq = ctx.getSequence();
    const lc: Rate[] = [];
    for (let r = 0; r < 3; r++) {
      await seq.clearHistory();
      let n = 0;
      const it = seq.evaluate(prompt as Token[], { temperature: 0 })[Symbol.asyncIterator]();
      await it.next(); // prompt + first token, untimed as for the native side
      lc.push(await timed(async () => {
        while (n < N) {
          await it.next();
          n++;
        }
      }));
      await it.return?.();
    }
    await ctx.dispose();
    await lm.dispose();
    const med = (xs: Rate[], k: keyof Rate) => [...xs].map((x) => x[k]).sort((a, b) => a - b)[1]!;
    out[dtype] = {
      native: { tokensPerSecond: med(native, 'tokensPerSecond'), cpuMsPerToken: med(native, 'cpuMsPerToken'), runs: native },
      llamaCpp: { tokensPerSecond: med(lc, 'tokensPerSecond'), cpuMsPerToken: med(lc, 'cpuMsPerToken'), runs: lc },
      nativeOverLlamaCpp: { wall: +(med(native, 'tokensPerSecond') / med(lc, 'tokensPerSecond')).toFixed(2), cpu: +(med(lc, 'cpuMsPerToken') / med(native, 'cpuMsPerToken')).toFixed(2) },
    };
  }
  await llama.dispose();
  out.loadAverage = loadavg().map((x) => +x.toFixed(2));
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
