// Benchmark: OpenLoRA serving on the CPU. Eight requests on eight different rank-16 adapters of a
// GPT-2-small-shaped model (124M parameters, seeded random f32 weights), 32 greedy tokens each:
//  - batched: all eight in the ServingCore at once (one cohort: every step one native call, the
//    base GEMMs shared, each row's LoRA product per segment from the model's LoRA bank);
//  - sequential with swapping: one model with one LoRA slot, each request alone after copying
//    its adapter into the slot (setLoraTensors), as a server without multi-LoRA batching does.
// Both produce the same tokens (checked). Also: the swap (slot copy) time, loading a rank-16
// adapter from disk (read + validate) and putting it into the bank. Wall and CPU seconds both,
// since the box is shared. Prints JSON.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { generate } from '../main/engine/generate.js';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine } from '../main/engine/native/index.js';
import { nativeEngineInfo } from '../main/engine/native/nativeEngineInfo.js';
import { nativeLogitsSource } from '../main/engine/nativeLogitsSource.js';
import { createLoraAdapter } from '../main/engine/peft/createLoraAdapter.js';
import { loadPeftAdapter } from '../main/engine/peft/loadPeftAdapter.js';
import { peftTensors } from '../main/engine/peft/peftTensors.js';
import { savePeftAdapter } from '../main/engine/peft/savePeftAdapter.js';
import { buildTestModel } from '../main/engine/testModels/buildTestModel.js';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer.js';
import { ServingCore } from '../main/playground/ServingCore.js';

const GPT2_SMALL = { hiddenSize: 768, numLayers: 12, numHeads: 12, numKvHeads: 12, headDim: 64, intermediateSize: 3072, maxPositions: 1024 };
const TARGETS = ['c_attn', 'c_proj', 'c_fc'];
const PROMPTS = [
  'The curators of the datanet reviewed every record',
  'Training runs on the local machine and',
  'The heatmap shows which records shaped',
  'Adapters travel between machines in',
  'Every contributor to the dataset is paid when',
  'The base model stays resident while',
  'A request names its adapter and',
  'On a laptop the engine decodes',
];

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const cpuSeconds = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e6;

export async function openlora(options: { tokens?: number; threads?: number } = {}): Promise<unknown> {
  const engine = loadNativeEngine();
  if (options.threads) engine.setThreads(options.threads);
  const N = options.tokens ?? 32;
  const dir = mkdtempSync(path.join(tmpdir(), 'openlora-bench-'));
  try {
    const built = buildTestModel(path.join(dir, 'hf'), { family: 'gpt2', seed: 7, overrides: GPT2_SMALL });
    const spec = modelSpecWithFiles(built.dir);
    const tok = Tokenizer.fromModelDir(built.dir);
    const adapters = PROMPTS.map((_, i) => createLoraAdapter(spec, { r: 16, alpha: 32, targets: TARGETS, seed: 100 + i, randomB: true }));
    const adapterDirs = adapters.map((a, i) => {
      const d = path.join(dir, `adapter-${i}`);
      savePeftAdapter(d, a);
      return d;
    });
    const opts = { maxTokens: N, topAlternatives: 0 };

    // Batched: one ServingCore, eight requests at once.
    const served = new engine.Model(spec);
    const core = new ServingCore(engine, served, spec, tok, {
      adapterBudgetBytes: 1 << 30,
      maxRank: 64,
      loadAdapter: (name) => ({ adapter: adapters[Number(name)]!, warning: null }),
    });
    // Warm-up (loads every adapter into the bank, as a running server would have them).
    await Promise.all(PROMPTS.map((p, i) => core.submit({ adapter: String(i), promptIds: tok.encode(p), opts: { maxTokens: 2 } }).done));
    let cpu = process.cpuUsage();
    let t0 = performance.now();
    const batched = await Promise.all(PROMPTS.map((p, i) => core.submit({ adapter: String(i), promptIds: tok.encode(p), opts }).done));
    const batchedSeconds = (performance.now() - t0) / 1000;
    const batchedCpu = cpuSeconds(process.cpuUsage(cpu));
    const stats = core.stats();
    core.close();

    // Sequential with swapping: one slot, each request alone.
    const slot = new engine.Model(spec);
    slot.addLora({ targets: TARGETS, rank: 16, alpha: 32 });
    const swaps: number[] = [];
    const sequential: string[] = [];
    cpu = process.cpuUsage();
    t0 = performance.now();
    for (let i = 0; i < PROMPTS.length; i++) {
      const s = performance.now();
      slot.setLoraTensors(peftTensors(adapters[i]!));
      swaps.push(performance.now() - s);
      sequential.push(generate(nativeLogitsSource(engine, slot, spec.maxPositions), tok, PROMPTS[i]!, opts).text);
    }
    const sequentialSeconds = (performance.now() - t0) / 1000;
    const sequentialCpu = cpuSeconds(process.cpuUsage(cpu));
    const same = batched.every((r, i) => r.text === sequential[i]);

    // Loading a rank-16 adapter: read + validate from disk, then into the bank.
    const loads: number[] = [];
    const banks: number[] = [];
    for (let i = 0; i < 5; i++) {
      let s = performance.now();
      const a = loadPeftAdapter(adapterDirs[i % adapterDirs.length]!, spec);
      loads.push(performance.now() - s);
      s = performance.now();
      const id = served.loraBankAdd(peftTensors(a), { rank: 16, alpha: 32 });
      banks.push(performance.now() - s);
      served.loraBankRemove(id);
    }
    const tokens = PROMPTS.length * N;
    return {
      model: { shape: 'GPT-2 small (124M, f32)', adapters: `${PROMPTS.length} x LoRA r=16 on ${TARGETS.join(',')}`, adapterMiB: +((adapters[0]!.modules.size && [...adapters[0]!.modules.values()].reduce((n, { A, B }) => n + A.data.length + B.data.length, 0) * 4) / 2 ** 20).toFixed(2) },
      engine: nativeEngineInfo(engine),
      tokensPerRequest: N,
      batched: { seconds: +batchedSeconds.toFixed(3), cpuSeconds: +batchedCpu.toFixed(3), tokensPerSecond: +(tokens / batchedSeconds).toFixed(1), rowsPerStepCall: +(stats.stepRows / Math.max(1, stats.stepCalls)).toFixed(2) },
      sequentialWithSwapping: { seconds: +sequentialSeconds.toFixed(3), cpuSeconds: +sequentialCpu.toFixed(3), tokensPerSecond: +(tokens / sequentialSeconds).toFixed(1) },
      speedup: +(sequentialSeconds / batchedSeconds).toFixed(2),
      cpuSpeedup: +(sequentialCpu / batchedCpu).toFixed(2),
      sameTokens: same,
      swapIntoSlotMs: { median: +median(swaps).toFixed(2) },
      // In the batched server a switch among resident adapters is a per-row bank id: no copy.
      switchAmongResidentMs: 0,
      loadFromDiskMs: { median: +median(loads).toFixed(2) },
      intoBankMs: { median: +median(banks).toFixed(2) },
      loadAverage: loadavg().map((x) => +x.toFixed(2)),
      date: new Date().toISOString(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
