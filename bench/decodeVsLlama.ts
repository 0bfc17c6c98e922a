// Benchmark: batch-1 decode of the native engine against llama.cpp (node-llama-cpp, its default
// f16 KV cache) on the same weights and thread count, at 1 and 2 threads, with the engine's own
// per-token profile. A GPT-2-small-shaped model (124.4M parameters, seeded random f32 weights) is
// written as a Hugging Face folder and exported to GGUF f32 from it, as bench/engineGenerate.ts
// does; the prompt is the same 18 tokens.
//
// Built for a shared, loaded machine: every round runs the three contenders back to back (native,
// native with its weights on 4 KiB pages as reference (setWeightHugePages(false): the engine's
// layout before 2 MiB huge pages), llama.cpp) so they see the same load, and each ratio is
// reported per round (>= 3 rounds) beside wall and process CPU time. How much of each model's
// weights the kernel put on huge pages is read from /proc/self/smaps_rollup (AnonHugePages).
// Per token: weight GEMV time (benchGemm at the decode shapes, one row times each weight), the
// pool's regions and the time the caller waited on worker threads (poolStats), the JS side
// (argmax over the logits, the N-API call and the logits copy), and what remains (attention over
// the KV cache, norms, residuals). JSON on stdout.
//
//   npm run -s bench decode-vs-llama          (DECODE_BENCH_TOKENS, DECODE_BENCH_ROUNDS, DECODE_BENCH_THREADS=1,2)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { getLlama, LlamaLogLevel, type Token } from 'node-llama-cpp';
import { exportGguf } from '../main/engine/gguf/exportGguf.js';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine } from '../main/engine/native/index.js';
import { nativeEngineInfo } from '../main/engine/native/nativeEngineInfo.js';
import { buildTestModel } from '../main/engine/testModels/buildTestModel.js';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer.js';

const GPT2_SMALL = { hiddenSize: 768, numLayers: 12, numHeads: 12, numKvHeads: 12, headDim: 64, intermediateSize: 3072, maxPositions: 1024 };
const PROMPT = 'The curators of the datanet reviewed every record before the training run started, and';
// The decode GEMVs of one token (C 768, 12 layers, vocab 50257): M x N x K, calls per token.
const GEMVS = [
  { name: 'c_attn', N: 2304, K: 768, calls: 12 },
  { name: 'attn.c_proj', N: 768, K: 768, calls: 12 },
  { name: 'c_fc', N: 3072, K: 768, calls: 12 },
  { name: 'mlp.c_proj', N: 768, K: 3072, calls: 12 },
  { name: 'lm_head', N: 50257, K: 768, calls: 1 },
];

// AnonHugePages of this process (Linux), in MiB: how much anonymous memory sits on 2 MiB pages.
function anonHugePagesMiB(): number | null {
  try {
    const m = /AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

interface Rate {
  tokensPerSecond: number;
  cpuMsPerToken: number;
  pool?: { regionsPerToken: number; workerTaskShare: number; callerWaitMsPerToken: number };
}

const round = (x: number, d = 2) => +x.toFixed(d);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

export async function decodeVsLlama(options: { tokens?: number; rounds?: number; threads?: number[] } = {}): Promise<unknown> {
  const N = options.tokens ?? Number(process.env.DECODE_BENCH_TOKENS ?? 24);
  const rounds = options.rounds ?? Number(process.env.DECODE_BENCH_ROUNDS ?? 3);
  const threadCounts = options.threads ?? (process.env.DECODE_BENCH_THREADS ? process.env.DECODE_BENCH_THREADS.split(',').map(Number) : [1, 2]);
  const engine = loadNativeEngine();
  const dir = mkdtempSync(path.join(tmpdir(), 'decode-vs-llama-'));
  const load0 = loadavg();
  try {
    const built = buildTestModel(path.join(dir, 'hf'), { family: 'gpt2', seed: 7, overrides: GPT2_SMALL });
    const gguf = path.join(dir, 'model-f32.gguf');
    exportGguf(built.dir, gguf, { dtype: 'F32' });
    const promptIds = Tokenizer.fromModelDir(built.dir).encode(PROMPT);
    // The reference first, on 4 KiB pages; then the model as the engine builds it by default.
    const huge0 = anonHugePagesMiB();
    engine.setWeightHugePages(false);
    const model4k = new engine.Model(modelSpecWithFiles(built.dir));
    engine.setWeightHugePages(true);
    const huge1 = anonHugePagesMiB();
    const model = new engine.Model(modelSpecWithFiles(built.dir));
    const huge2 = anonHugePagesMiB();
    const hugePagesMiB = huge0 === null ? null : { reference4k: round(huge1! - huge0), hugePages: round(huge2! - huge1!), weightsMiB: round((124_439_808 * 4) / 2 ** 20) };
    const session = new engine.Session(model, { batch: 1, capacity: promptIds.length + N + 8 });
    const session4k = new engine.Session(model4k, { batch: 1, capacity: promptIds.length + N + 8 });
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, maxThreads: Math.max(...threadCounts) });
    const lm = await llama.loadModel({ modelPath: gguf });

    const timed = async (fn: () => void | Promise<void>, pool: boolean): Promise<Rate> => {
      engine.resetPoolStats();
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await fn();
      const wall = Number(process.hrtime.bigint() - t0) / 1e9;
      const c = process.cpuUsage(c0);
      const r: Rate = { tokensPerSecond: round(N / wall, 1), cpuMsPerToken: round((c.user + c.system) / 1e3 / N) };
      if (pool) {
        const s = engine.poolStats();
        r.pool = { regionsPerToken: round(s.regions / N, 1), workerTaskShare: round(s.tasks ? s.workerTasks / s.tasks : 0), callerWaitMsPerToken: round(s.callerWaitMs / N, 3) };
      }
      return r;
    };
    let nativeIds: number[] = [];
    let referenceIds: number[] = [];
    const native = (reference4k: boolean) => {
      const s = reference4k ? session4k : session;
      s.reset();
      let next = argmax(s.prefill(Int32Array.from(promptIds)));
      next = argmax(s.step(Int32Array.of(next)));
      const ids = [next];
      return timed(() => {
        for (let i = 0; i < N; i++) ids.push((next = argmax(s.step(Int32Array.of(next)))));
        if (reference4k) referenceIds = ids;
        else nativeIds = ids;
      }, true);
    };

    const byThreads: Record<string, unknown> = {};
    for (const threads of threadCounts) {
      engine.setThreads(threads);
      const ctx = await lm.createContext({ contextSize: promptIds.length + N + 16, threads: { ideal: threads, min: threads } });
      const seq = ctx.getSequence();
      let llamaIds: number[] = [];
      const llamaCpp = async () => {
        await seq.clearHistory();
        const it = seq.evaluate(promptIds as Token[], { temperature: 0 })[Symbol.asyncIterator]();
        const ids: number[] = [];
        for (let i = 0; i < 2; i++) ids.push((await it.next()).value as number); // prompt + first token untimed, as above
        const r = await timed(async () => {
          for (let i = 0; i < N; i++) ids.push((await it.next()).value as number);
        }, false);
        await it.return?.();
        llamaIds = ids.slice(1);
        return r;
      };
      await native(false); // warm-up: pages, caches
      await llamaCpp();
      const runs: { native: Rate; nativeReference4kPages: Rate; llamaCpp: Rate }[] = [];
      for (let r = 0; r < rounds; r++) {
        // Alternate the order so neither side always follows the other.
        if (r % 2 === 0) runs.push({ native: await native(false), nativeReference4kPages: await native(true), llamaCpp: await llamaCpp() });
        else {
          const l = await llamaCpp();
          const ref = await native(true);
          runs.push({ native: await native(false), nativeReference4kPages: ref, llamaCpp: l });
        }
      }
      await ctx.dispose();

      // Per-token profile (this thread count): GEMVs alone, the JS side, and the remainder.
      const gemv = GEMVS.map((g) => ({ ...g, ms: engine.benchGemm({ transA: false, transB: true, M: 1, N: g.N, K: g.K, iters: 5 }) * 1e3 * g.calls }));
      const logits = session.step(Int32Array.of(nativeIds.at(-1)!));
      let t = performance.now();
      for (let i = 0; i < 50; i++) argmax(logits);
      const argmaxMs = (performance.now() - t) / 50;
      t = performance.now();
      for (let i = 0; i < 20_000; i++) engine.getThreads();
      const napiCallMs = (performance.now() - t) / 20_000;
      const stepMs = 1000 / median(runs.map((x) => x.native.tokensPerSecond));
      const gemvMs = gemv.reduce((n, g) => n + g.ms, 0);
      const waitMs = median(runs.map((x) => x.native.pool!.callerWaitMsPerToken));
      byThreads[`threads${threads}`] = {
        runs,
        ratioPerRound: runs.map((x) => ({
          wall: round(x.native.tokensPerSecond / x.llamaCpp.tokensPerSecond),
          cpu: round(x.llamaCpp.cpuMsPerToken / x.native.cpuMsPerToken),
          hugeOver4kPages: round(x.native.tokensPerSecond / x.nativeReference4kPages.tokensPerSecond),
          hugeOver4kPagesCpu: round(x.nativeReference4kPages.cpuMsPerToken / x.native.cpuMsPerToken),
        })),
        median: {
          nativeTokensPerSecond: median(runs.map((x) => x.native.tokensPerSecond)),
          nativeReference4kPagesTokensPerSecond: median(runs.map((x) => x.nativeReference4kPages.tokensPerSecond)),
          nativeReference4kPagesCpuMsPerToken: median(runs.map((x) => x.nativeReference4kPages.cpuMsPerToken)),
          llamaCppTokensPerSecond: median(runs.map((x) => x.llamaCpp.tokensPerSecond)),
          nativeCpuMsPerToken: median(runs.map((x) => x.native.cpuMsPerToken)),
          llamaCppCpuMsPerToken: median(runs.map((x) => x.llamaCpp.cpuMsPerToken)),
        },
        profileMsPerToken: {
          step: round(stepMs),
          weightGemv: round(gemvMs),
          gemvByLinear: Object.fromEntries(gemv.map((g) => [g.name, round(g.ms, 3)])),
          poolCallerWait: waitMs,
          argmaxJs: round(argmaxMs, 3),
          napiCall: round(napiCallMs, 4),
          rest: round(stepMs - gemvMs - waitMs - argmaxMs),
        },
        firstDifferentToken: llamaIds.findIndex((id, i) => id !== nativeIds[i]),
        // Huge pages change no value: the reference decodes the same tokens.
        sameTokensAs4kPages: referenceIds.length === nativeIds.length && referenceIds.every((id, i) => id === nativeIds[i]),
      };
    }
    await lm.dispose();
    await llama.dispose();
    const pkg = JSON.parse(readFileSync(path.resolve('node_modules/node-llama-cpp/package.json'), 'utf8')) as { version: string };
    return {
      bench: 'decode-vs-llama',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCpus: cpus().length, loadAverageBefore: load0.map((x) => round(x)), loadAverageAfter: loadavg().map((x) => round(x)) },
      engine: nativeEngineInfo(engine),
      model: { shape: 'gpt2-small (12 layers, C 768, vocab 50257)', parameters: 124_439_808, weights: 'f32 both (GGUF f32 of the same folder)', promptTokens: promptIds.length, decodedTokens: N, rounds },
      // MiB of AnonHugePages each native model added (null: not Linux).
      anonHugePagesMiB: hugePagesMiB,
      llamaCpp: { package: `node-llama-cpp@${pkg.version}`, kvCache: 'f16 (its default)' },
      target: { nativeOverLlamaCpp: 1.0, aim: 1.2 },
      ...byThreads,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
