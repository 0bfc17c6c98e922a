// Benchmark: generation speed (batch 1, greedy) of the native engine against llama.cpp
// (node-llama-cpp, the version package.json pins) on the same weights and thread count.
// A GPT-2-small-shaped model (12 layers, C 768, 12 heads, vocab 50257, 1024 positions: 124.4M
// parameters) with seeded random f32 weights is written as a Hugging Face folder under /tmp and
// exported to GGUF f32 from that folder; both engines then decode the same prompt.
// Prints JSON on stdout.
//
//   npx tsx bench/engineGenerate.ts [--threads N] [--tokens N] [--reps R]
// or through the bench registry as engineGenerate() (bench/benches.ts).
//
// Napkin math: each decoded token reads every weight once, ~0.50 GB in f32 (the tied LM head,
// 50257 x 768, is 154 MB of it). At ~30 GB/s (KNOWLEDGE.md, 2 threads) the ceiling is ~60
// tokens/s; f16 weights would halve the bytes. Attention over <= 200 positions is negligible.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { getLlama, LlamaLogLevel, type Token } from 'node-llama-cpp';
import { buildTestModel } from '../main/engine/testModels/buildTestModel.js';
import { exportGguf } from '../main/engine/gguf/exportGguf.js';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine } from '../main/engine/native/index.js';
import { nativeEngineInfo } from '../main/engine/native/nativeEngineInfo.js';
import { nativeLogitsSource } from '../main/engine/nativeLogitsSource.js';
import { generate } from '../main/engine/generate.js';
import type { SamplingParams } from '../main/engine/sampling/sampleToken.js';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer.js';

export interface EngineGenerateOptions {
  threads?: number;
  /** Decoded tokens timed per repetition (after one untimed token). */
  tokens?: number;
  reps?: number;
}

const GPT2_SMALL = { hiddenSize: 768, numLayers: 12, numHeads: 12, numKvHeads: 12, headDim: 64, intermediateSize: 3072, maxPositions: 1024 };
const PROMPT = 'The curators of the datanet reviewed every record before the training run started, and';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function argmax(v: Float32Array): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function engineGenerate(options: EngineGenerateOptions = {}): Promise<unknown> {
  const engine = loadNativeEngine();
  const threads = options.threads ?? engine.getThreads();
  const N = options.tokens ?? 64;
  const reps = options.reps ?? 3;
  const dir = mkdtempSync(path.join(tmpdir(), 'engine-generate-bench-'));
  try {
    const t0 = process.hrtime.bigint();
    const built = buildTestModel(path.join(dir, 'hf'), { family: 'gpt2', seed: 7, overrides: GPT2_SMALL });
    const gguf = path.join(dir, 'model-f32.gguf');
    exportGguf(built.dir, gguf, { dtype: 'F32' });
    const setupSeconds = seconds(t0);
    const tok = Tokenizer.fromModelDir(built.dir);
    const promptIds = tok.encode(PROMPT);

    // Native engine: the KV-cache session alone (greedy argmax in JS), and the full generate()
    // loop the CLI runs (log-softmax, top-5 alternatives, streaming decode).
    engine.setThreads(threads);
    const model = new engine.Model(modelSpecWithFiles(built.dir));
    const session = new engine.Session(model, { batch: 1, capacity: 512 });
    const nativeRates: number[] = [];
    let nativeIds: number[] = [];
    for (let r = 0; r < reps + 1; r++) {
      session.reset();
      let next = argmax(session.prefill(Int32Array.from(promptIds)));
      next = argmax(session.step(Int32Array.of(next)));
      const ids = [next];
      const t = process.hrtime.bigint();
      for (let i = 0; i < N; i++) ids.push((next = argmax(session.step(Int32Array.of(next)))));
      if (r > 0) nativeRates.push(N / seconds(t)); // the first repetition warms caches and pages
      nativeIds = ids;
    }
    const source = nativeLogitsSource(engine, model, built.spec.maxPositions);
    const loopRate = (sampling: SamplingParams & { seed?: number }) => {
      const stamps: bigint[] = [];
      generate(source, tok, PROMPT, { ...sampling, maxTokens: N + 1, onToken: () => stamps.push(process.hrtime.bigint()) });
      return N / (Number(stamps[N]! - stamps[0]!) / 1e9);
    };
    const loopRates = Array.from({ length: reps }, () => loopRate({}));
    // Sampling as a playground does (temperature, top-k, top-p): the selection over the vocabulary
    // per token is part of what a user waits for.
    const sampledRates = Array.from({ length: reps }, (_, r) => loopRate({ temperature: 0.8, topK: 50, topP: 0.95, seed: r }));

    // llama.cpp on the GGUF of the same folder, same threads, greedy; its default f16 KV cache,
    // and an f32 one like the native engine's.
    const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error, maxThreads: threads });
    const lm = await llama.loadModel({ modelPath: gguf });
    const llamaRuns: Record<string, { rates: number[]; ids: number[] }> = {};
    for (const [name, kv] of [['kvF16', 'F16'], ['kvF32', 'F32']] as const) {
      const ctx = await lm.createContext({ contextSize: 512, threads: { ideal: threads, min: threads }, experimentalKvCacheKeyType: kv, experimentalKvCacheValueType: kv });
      const seq = ctx.getSequence();
      const rates: number[] = [];
      let ids: number[] = [];
      for (let r = 0; r < reps + 1; r++) {
        await seq.clearHistory();
        const got: number[] = [];
        let t = 0n;
        for await (const token of seq.evaluate(promptIds as Token[], { temperature: 0 })) {
          got.push(token);
          if (got.length === 2) t = process.hrtime.bigint(); // prompt and first token done, as above
          if (got.length === N + 2) break;
        }
        if (r > 0) rates.push(N / seconds(t));
        ids = got.slice(1);
      }
      llamaRuns[name] = { rates, ids };
      await ctx.dispose();
    }
    await lm.dispose();
    await llama.dispose();

    const native = median(nativeRates);
    const llamaF16 = median(llamaRuns.kvF16!.rates);
    const llamaF32 = median(llamaRuns.kvF32!.rates);
    const pkg = JSON.parse(readFileSync(path.resolve('node_modules/node-llama-cpp/package.json'), 'utf8')) as { version: string };
    const sameTokens = (ids: number[]) => ids.findIndex((id, i) => id !== nativeIds[i]);
    const info = nativeEngineInfo(engine);
    return {
      bench: 'engineGenerate',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCpus: cpus().length, threads, gemmKernel: info.kernel, loadAverage: loadavg().map((x) => +x.toFixed(2)) },
      model: { shape: 'gpt2-small (12 layers, C 768, 12 heads, vocab 50257)', parameters: 124_439_808, weights: 'f32, random (seed 7)', promptTokens: promptIds.length, decodedTokens: N, reps },
      setupSeconds: +setupSeconds.toFixed(1),
      tokensPerSecond: {
        native: +native.toFixed(1),
        nativeGenerateLoop: +median(loopRates).toFixed(1),
        nativeGenerateLoopSampled: +median(sampledRates).toFixed(1),
        llamaCppKvF16: +llamaF16.toFixed(1),
        llamaCppKvF32: +llamaF32.toFixed(1),
      },
      ratio: { nativeOverLlamaCppKvF16: +(native / llamaF16).toFixed(3), nativeOverLlamaCppKvF32: +(native / llamaF32).toFixed(3) },
      target: { nativeOverLlamaCpp: 1.0 },
      // Greedy ids agree until rounding differences flip a near-tie (random weights have many); -1 = all agree.
      firstDifferentToken: { kvF16: sameTokens(llamaRuns.kvF16!.ids), kvF32: sameTokens(llamaRuns.kvF32!.ids) },
      llamaCpp: { package: `node-llama-cpp@${pkg.version}`, gguf: 'f32 (general.file_type 0)' },
      runs: {
        native: nativeRates.map((x) => +x.toFixed(1)),
        nativeGenerateLoop: loopRates.map((x) => +x.toFixed(1)),
        nativeGenerateLoopSampled: sampledRates.map((x) => +x.toFixed(1)),
        llamaCppKvF16: llamaRuns.kvF16!.rates.map((x) => +x.toFixed(1)),
        llamaCppKvF32: llamaRuns.kvF32!.rates.map((x) => +x.toFixed(1)),
      },
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
  const out = await engineGenerate({ threads: arg('threads'), tokens: arg('tokens'), reps: arg('reps') });
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}
