// Benchmark: OpenLoRA's adapter operations at the size the issue names, on a synthesized
// SmolLM-135M-shaped Llama folder (no 135M weights can be downloaded here: config + seeded random
// bf16 safetensors written into a temp dir, 134.5M parameters) and rank-16 PEFT adapters on every
// linear of it (q, k, v, o, gate, up, down: 4.9M parameters, 19.5 MB in f32 each).
//  - loading a rank-16 adapter from disk until it can serve, the cache-miss path of AdapterCache:
//    check against the base (inspectPeftAdapter) + the file read straight into the model's LoRA
//    bank (loraBankLoad), against the reference path (loadPeftAdapter into JS arrays +
//    loraBankAdd) in the same run. The files were just written, so they come from the page
//    cache, as an adapter used recently would; a cold disk adds its read time (19.5 MB).
//  - switching among resident adapters: batch-1 decode steps that change adapter every step
//    against steps that keep one, interleaved; the switch is what the first costs beyond the second.
//    Plus AdapterCache.acquire on a hit (what the server does per request before the step).
//  - the registry at 1,000 adapters: 1,000 records in a real workspace database (recordAdapter as
//    an import does), list / search / lookup times; then AdapterCache (the LRU ServingCore uses)
//    over requests spread on 1,000 adapter names with a budget of 8 adapters: resident bytes never
//    over the budget, the process's RSS, miss and hit times. The 1,000 names map onto 8 adapter
//    folders (1,000 distinct 19.5 MB folders would be 19.5 GB of disk); the cache keys them apart,
//    so every miss reads, checks and banks a folder as for a distinct adapter.
// Wall and process CPU time both (the box is shared); ratios within this run only. JSON.
//
//   npm run -s bench openlora-adapters
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { findAdapter, listAdapters, recordAdapter } from '../main/adapters/adaptersRepository.js';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine } from '../main/engine/native/index.js';
import { nativeEngineInfo } from '../main/engine/native/nativeEngineInfo.js';
import { createLoraAdapter } from '../main/engine/peft/createLoraAdapter.js';
import { inspectPeftAdapter } from '../main/engine/peft/inspectPeftAdapter.js';
import { loadPeftAdapter } from '../main/engine/peft/loadPeftAdapter.js';
import { peftBankSources } from '../main/engine/peft/peftBankSources.js';
import { peftTensors } from '../main/engine/peft/peftTensors.js';
import { savePeftAdapter } from '../main/engine/peft/savePeftAdapter.js';
import { buildTestModel } from '../main/engine/testModels/buildTestModel.js';
import { AdapterCache, adapterBytes } from '../main/playground/AdapterCache.js';
import { openDatabase } from '../main/workspace/openDatabase.js';

// SmolLM-135M's config.json (HuggingFaceTB/SmolLM-135M): 30 layers, hidden 576, 9 heads of 64 with
// 3 KV heads, MLP 1536, vocabulary 49,152, tied embeddings, 2,048 positions.
const SMOLLM_135M = { hiddenSize: 576, numLayers: 30, numHeads: 9, numKvHeads: 3, headDim: 64, intermediateSize: 1536, vocabSize: 49152, maxPositions: 2048, ropeTheta: 10000 };
const TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
const RESIDENT = 8;
const REGISTERED = 1000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)].map((x) => +x.toFixed(3));
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1e3;
const round = (x: number, d = 3) => +x.toFixed(d);
const sha = (i: number) => i.toString(16).padStart(64, '0');
// A full GC on demand without --expose-gc on the command line (npm run bench starts plain node).
v8.setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
// CPU time of the calling thread (Linux: /proc/thread-self/schedstat, ns on CPU), null elsewhere.
const threadCpuMs = (): number | null => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
};

export async function openloraAdapters(options: { steps?: number; rounds?: number; lruRequests?: number; loadRounds?: number } = {}): Promise<unknown> {
  const loadRounds = options.loadRounds ?? 16;
  const steps = options.steps ?? 16;
  const rounds = options.rounds ?? 3;
  const lruRequests = options.lruRequests ?? 60;
  const engine = loadNativeEngine();
  const dir = mkdtempSync(path.join(tmpdir(), 'openlora-adapters-bench-'));
  const load0 = loadavg();
  try {
    const t0 = performance.now();
    const built = buildTestModel(path.join(dir, 'smollm-135m'), { family: 'smollm', dtype: 'BF16', seed: 135, overrides: SMOLLM_135M });
    const spec = modelSpecWithFiles(built.dir);
    const adapters = Array.from({ length: RESIDENT }, (_, i) => createLoraAdapter(spec, { r: 16, alpha: 32, targets: TARGETS, seed: 500 + i, randomB: true }));
    const adapterDirs = adapters.map((a, i) => {
      const d = path.join(dir, `adapter-${i}`);
      savePeftAdapter(d, a);
      return d;
    });
    const setupSeconds = (performance.now() - t0) / 1000;
    const parameters = [...adapters[0]!.modules.values()].reduce((n, { A, B }) => n + A.data.length + B.data.length, 0);

    const rss0 = process.memoryUsage().rss;
    const model = new engine.Model(spec);
    const modelRssMB = (process.memoryUsage().rss - rss0) / 2 ** 20;

    // Loading from disk into the bank (cache-miss path), over different folders: the one-copy
    // path the server takes (inspectPeftAdapter: config, header and shape checks; then
    // loraBankLoad reads the file straight into the bank) against the reference it replaced
    // (loadPeftAdapter into JS arrays, then loraBankAdd copies them into the bank), alternating
    // which goes first so both see the same load. Process CPU time is the figure that carries.
    type LoadRuns = { totalMs: number[]; totalCpuMs: number[]; checkCpuMs: number[]; bankCpuMs: number[]; threadCpuMs: number[] };
    const runs = (): LoadRuns => ({ totalMs: [], totalCpuMs: [], checkCpuMs: [], bankCpuMs: [], threadCpuMs: [] });
    const oneCopy = runs(), reference = runs();
    const timeLoad = (into: LoadRuns, d: string, fast: boolean) => {
      // The reference leaves 19.5 MB of Float32Arrays behind; collected here, outside the timing,
      // so V8's GC threads do not bill it to whichever load comes next (process CPU counts them).
      collectGarbage();
      const tc = threadCpuMs();
      const c = process.cpuUsage();
      const s = performance.now();
      let id: number;
      let cm: NodeJS.CpuUsage;
      if (fast) {
        const layout = inspectPeftAdapter(d, spec);
        cm = process.cpuUsage();
        id = model.loraBankLoad(layout.file.path, peftBankSources(layout)!, { rank: 16, alpha: 32 });
      } else {
        const a = loadPeftAdapter(d, spec);
        cm = process.cpuUsage();
        id = model.loraBankAdd(peftTensors(a), { rank: 16, alpha: 32 });
      }
      into.totalMs.push(performance.now() - s);
      into.totalCpuMs.push(cpuMs(process.cpuUsage(c)));
      if (tc !== null) into.threadCpuMs.push(threadCpuMs()! - tc);
      into.bankCpuMs.push(cpuMs(process.cpuUsage(cm)));
      into.checkCpuMs.push(into.totalCpuMs.at(-1)! - into.bankCpuMs.at(-1)!);
      model.loraBankRemove(id);
    };
    for (let i = 0; i < loadRounds; i++) {
      const d = adapterDirs[i % RESIDENT]!;
      timeLoad(i % 2 === 0 ? oneCopy : reference, d, i % 2 === 0);
      timeLoad(i % 2 === 0 ? reference : oneCopy, d, i % 2 !== 0);
    }
    const loadSummary = (r: LoadRuns) => ({
      totalMs: { median: round(median(r.totalMs)), range: range(r.totalMs) },
      cpuMs: { median: round(median(r.totalCpuMs)), range: range(r.totalCpuMs), runs: r.totalCpuMs.map((x) => round(x)) },
      // The calling thread alone (both paths run there): without the GC and worker threads that
      // process CPU also counts, and nanosecond-exact rather than tick-sampled.
      threadCpuMs: r.threadCpuMs.length ? { median: round(median(r.threadCpuMs)), range: range(r.threadCpuMs) } : null,
      readAndCheckCpuMs: round(median(r.checkCpuMs)),
      intoBankCpuMs: round(median(r.bankCpuMs)),
    });

    // Switching: RESIDENT adapters in the bank; batch-1 steps changing adapter every step vs
    // keeping one, in alternating rounds so both see the same load.
    const rssBank0 = process.memoryUsage().rss;
    const bankIds = adapters.map((a) => model.loraBankAdd(peftTensors(a), { rank: 16, alpha: 32 }));
    const residentRssMB = (process.memoryUsage().rss - rssBank0) / 2 ** 20;
    const session = new engine.Session(model, { batch: 1, capacity: 64 + rounds * 2 * steps + 8 });
    const prompt = Int32Array.from({ length: 32 }, (_, i) => 3 + ((i * 37) % 400));
    session.prefill(prompt, { adapters: Int32Array.of(bankIds[0]!) });
    let n = 0;
    const stepMs = (id: number) => {
      const s = performance.now();
      session.step(Int32Array.of(3 + ((n++ * 53) % 400)), { adapters: Int32Array.of(id) });
      return performance.now() - s;
    };
    const same: number[] = [], switching: number[] = [];
    const sameCpu: number[] = [], switchingCpu: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let c = process.cpuUsage();
      for (let i = 0; i < steps; i++) same.push(stepMs(bankIds[0]!));
      sameCpu.push(cpuMs(process.cpuUsage(c)) / steps);
      c = process.cpuUsage();
      for (let i = 0; i < steps; i++) switching.push(stepMs(bankIds[(i + 1) % RESIDENT]!));
      switchingCpu.push(cpuMs(process.cpuUsage(c)) / steps);
    }
    for (const id of bankIds) model.loraBankRemove(id);

    // The registry at 1,000 adapters, in a real workspace database.
    const db = openDatabase(path.join(dir, 'workspace.sqlite'), { create: true });
    const reg0 = performance.now();
    for (let i = 0; i < REGISTERED; i++) {
      recordAdapter(db, {
        name: `smollm-adapter-${String(i).padStart(4, '0')}`, source: i % 3 === 0 ? 'trained' : 'imported', rank: 16, alpha: 32, rslora: false, targets: TARGETS,
        modules: adapters[0]!.modules.size, parameters, size: parameters * 4 + 800, configSha256: sha(i), weightsSha256: sha(i + 1_000_000),
        base: { path: built.dir, arch: 'llama', digest: sha(7), files: { 'model.safetensors': sha(8) } },
        datanet: i % 3 === 0 ? `datanet-${i % 17}` : null, run: i % 3 === 0 ? `run-${i}` : null, importedFrom: i % 3 === 0 ? null : adapterDirs[i % RESIDENT]!, parents: [],
      });
    }
    const registerMsEach = (performance.now() - reg0) / REGISTERED;
    const timeIt = (fn: () => unknown, n: number) => {
      const xs: number[] = [];
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        fn();
        xs.push(performance.now() - s);
      }
      return xs;
    };
    const listAll = timeIt(() => listAdapters(db), 7);
    const listed = listAdapters(db).length;
    const search = timeIt(() => listAdapters(db, 'trained datanet-5'), 7);
    const searchHits = listAdapters(db, 'trained datanet-5').length;
    const lookups = timeIt(() => findAdapter(db, `smollm-adapter-${String(Math.floor(Math.random() * REGISTERED)).padStart(4, '0')}`), 1000);
    db.close();

    // LRU over 1,000 names with a budget of RESIDENT adapters' bytes.
    const budget = RESIDENT * adapterBytes(adapters[0]!);
    const lru = new AdapterCache(budget, 64, model, (name) => ({ adapter: inspectPeftAdapter(adapterDirs[Number(name.slice(-4)) % RESIDENT]!, spec), warning: null }));
    let rng = 1234;
    const nextName = () => {
      rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
      return `smollm-adapter-${String(rng % REGISTERED).padStart(4, '0')}`;
    };
    const missMs: number[] = [], hitMs: number[] = [];
    let maxResident = 0, overBudget = 0, maxRss = 0;
    const names: string[] = [];
    for (let i = 0; i < lruRequests; i++) {
      // Two of three requests go to a recently used adapter (a hot set), one to any of the 1,000.
      const name = i % 3 !== 2 && names.length > 0 ? names[names.length - 1 - (i % Math.min(names.length, RESIDENT - 1))]! : nextName();
      const wasResident = lru.residentKeys().includes(name);
      const s = performance.now();
      const a = lru.acquire(name);
      (wasResident ? hitMs : missMs).push(performance.now() - s);
      if (!a) throw new Error('an unpinned cache refused an adapter that fits the budget');
      lru.release(a);
      if (!wasResident) names.push(name);
      maxResident = Math.max(maxResident, lru.residentBytes);
      if (lru.residentBytes > budget) overBudget++;
      maxRss = Math.max(maxRss, process.memoryUsage().rss);
    }
    // The server's side of a switch: AdapterCache.acquire on a resident adapter (LRU bump, pin).
    const hot = lru.residentKeys();
    const h0 = performance.now();
    for (let i = 0; i < 10_000; i++) lru.release(lru.acquire(hot[i % hot.length]!)!);
    const acquireHitUs = ((performance.now() - h0) / 10_000) * 1000;
    const load1 = loadavg();
    const sameMed = median(same), switchMed = median(switching);
    const perRound = (xs: number[]) => Array.from({ length: rounds }, (_, r) => median(xs.slice(r * steps, (r + 1) * steps)));
    const switchPerRound = perRound(switching).map((x, r) => round(x - perRound(same)[r]!));
    return {
      bench: 'openlora-adapters',
      date: new Date().toISOString(),
      machine: { cpu: cpus()[0]?.model ?? 'unknown', logicalCpus: cpus().length, threads: engine.getThreads(), loadAverageBefore: load0.map((x) => round(x, 2)), loadAverageAfter: load1.map((x) => round(x, 2)) },
      engine: nativeEngineInfo(engine),
      model: { shape: 'SmolLM-135M (synthesized: seeded random bf16 weights, kept bf16 as stored)', parameters: 134_515_008, modelRssMB: round(modelRssMB, 1), setupSeconds: round(setupSeconds, 1) },
      adapter: { rank: 16, alpha: 32, targets: TARGETS, parameters, bytesF32: adapterBytes(adapters[0]!) },
      loadFromDisk: {
        target: 'within 50 ms',
        rounds: loadRounds,
        // inspect (config + header + shape checks) then loraBankLoad: the server's path.
        oneCopy: loadSummary(oneCopy),
        // loadPeftAdapter (checks + read into JS arrays) then loraBankAdd (copied into the bank).
        reference: loadSummary(reference),
        cpuRatioReferenceOverOneCopy: round(median(reference.totalCpuMs) / median(oneCopy.totalCpuMs)),
        threadCpuRatioReferenceOverOneCopy: oneCopy.threadCpuMs.length ? round(median(reference.threadCpuMs) / median(oneCopy.threadCpuMs)) : null,
      },
      switchAmongResident: {
        target: 'within 5 ms',
        // Step-time difference: what changing adapter adds to a decode step (noise on a loaded box).
        switchCostMs: round(switchMed - sameMed),
        switchCostMsPerRound: switchPerRound,
        stepMsSameAdapter: { median: round(sameMed), range: range(same), cpuMsPerStep: sameCpu.map((x) => round(x)) },
        stepMsSwitchingEveryStep: { median: round(switchMed), range: range(switching), cpuMsPerStep: switchingCpu.map((x) => round(x)) },
        acquireHitMicroseconds: round(acquireHitUs, 2),
        residentAdapters: RESIDENT,
        residentRssMB: round(residentRssMB, 1),
        residentBytes: RESIDENT * adapterBytes(adapters[0]!),
      },
      registryAt1000: {
        registered: REGISTERED,
        registerMsEach: round(registerMsEach),
        listAllMs: { median: round(median(listAll)), listed },
        searchMs: { median: round(median(search)), query: 'trained datanet-5', hits: searchHits },
        lookupByNameMs: { median: round(median(lookups), 4), max: round(Math.max(...lookups)) },
      },
      lruAt1000: {
        budgetBytes: budget,
        requests: lruRequests,
        misses: missMs.length,
        hits: hitMs.length,
        evictions: lru.evictions,
        maxResidentBytes: maxResident,
        timesOverBudget: overBudget,
        missMs: { median: round(median(missMs)), range: range(missMs) },
        hitMs: { median: round(hitMs.length ? median(hitMs) : 0, 4) },
        processRssMB: { afterModel: round(rss0 / 2 ** 20 + modelRssMB, 1), max: round(maxRss / 2 ** 20, 1) },
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
