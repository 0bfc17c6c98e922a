// Benchmark (diagnostic): `studio eval attribution`'s demo setup (seed 1, full settings, the
// default model) trained once into a cache folder, then the model's answers scored by the
// product's scorers (attributionScorers: the combined rule, spans alone, gradients alone) and
// BM25, per fact. A full eval run costs minutes of CPU; changing the rule and re-scoring the
// cached adapter costs seconds, so rules are compared on one adapter (bench/RESULTS.md, "Proof of
// Attribution quality with the prompt's context"). The cache is ATTR_DIAG_DIR (default
// bench/out/attribution-eval-diagnostic); delete it after changing the training or the setup.
// Training follows runAttributionEval step by step, so with the same seed the adapter is the
// recorded run's. ATTR_DIAG_REWORD=1 asks the paraphrased questions as "Describe <Subject>." (a
// probe: prompts that share only the subject with the records, the answers unchanged).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { attributionScorers } from '../main/attribution/eval/attributionScorers';
import { adapterAnswerer } from '../main/attribution/eval/adapterAnswerer';
import { bm25Terms } from '../main/attribution/eval/Bm25Index';
import { bm25Scorer } from '../main/attribution/eval/bm25Scorer';
import { corruptRecords } from '../main/attribution/eval/corruptRecords';
import { demoBackgroundRecords } from '../main/attribution/eval/demoBackgroundRecords';
import { buildEvalGradientStore, EVAL_K_PER_LAYER, type EvalGradientStore } from '../main/attribution/eval/evalGradientStore';
import { evalSettings } from '../main/attribution/eval/evalSettings';
import { makeEvalCopy } from '../main/attribution/eval/makeEvalCopy';
import { plantFacts, type EvalRecord, type PlantedFact } from '../main/attribution/eval/plantFacts';
import { repeatPlantedFacts } from '../main/attribution/eval/repeatPlantedFacts';
import { rankOf, retrievalMetrics } from '../main/attribution/eval/retrievalMetrics';
import { sampleBackground } from '../main/attribution/eval/sampleBackground';
import { trainEvalAdapter } from '../main/attribution/eval/trainEvalAdapter';
import { loadGradientModel } from '../main/attribution/loadGradientModel';
import { gradientStoreFingerprint, openRecordGradientStore } from '../main/attribution/recordGradientStore';
import { resolveModelArgument } from '../main/engine/defaultModel/resolveModelArgument';
import { modelSpecialIds } from '../main/engine/modelSpecialIds';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles';
import { loadPeftAdapter } from '../main/engine/peft/loadPeftAdapter';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer';

const SEED = 1;

interface Setup {
  modelDir: string;
  seq: number;
  version: { name: string; version: number; root: string };
  records: EvalRecord[];
  facts: (PlantedFact & { completion: string })[];
}

/** Trains and answers once (runAttributionEval's steps, without scoring); the setup as saved. */
async function trainOnce(dir: string): Promise<Setup> {
  const file = join(dir, 'setup.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Setup;
  const s = evalSettings(false);
  const modelDir = resolveModelArgument('default');
  const background = sampleBackground(demoBackgroundRecords(s.backgroundRecords, SEED), s.backgroundRecords, SEED);
  const corruption = corruptRecords(background, s.corruptFraction, SEED);
  const planted = plantFacts({
    seed: SEED, verbatim: s.verbatimFacts, paraphrased: s.paraphrasedFacts, contributors: [...new Set(background.map((r) => r.contributor))],
    takenWords: new Set(background.flatMap((r) => bm25Terms(r.text))), takenIds: new Set(background.map((r) => r.sourceId)),
  });
  const records = [...corruption.records, ...planted.records];
  const factIds = new Set(planted.facts.map((f) => f.sourceId));
  mkdirSync(dir, { recursive: true });
  const copy = await makeEvalCopy(join(dir, 'home'), records, (m) => process.stderr.write(`${m}\n`));
  try {
    const seq = Math.min(s.training.seq, modelSpecWithFiles(modelDir).maxPositions);
    const adapterDir = join(dir, 'adapter');
    const data = repeatPlantedFacts({ trainingData: copy.trainingData, facts: planted.records.filter((r) => factIds.has(r.sourceId)), repeats: s.factRepeats, out: join(dir, 'train.jsonl') });
    await trainEvalAdapter({ modelDir, data, out: adapterDir, runDir: join(dir, 'run'), training: s.training, seed: SEED });
    buildEvalGradientStore({ modelDir, adapterDir, records, seq, seed: SEED, outDir: dir });
    const answer = adapterAnswerer(modelDir, adapterDir);
    const setup: Setup = { modelDir, seq, version: copy.version, records, facts: planted.facts.map((f) => ({ ...f, completion: answer(f.prompt, f.answer) })) };
    writeFileSync(file, JSON.stringify(setup, null, 1));
    return setup;
  } finally {
    await copy.core.close();
  }
}

/** The cached store, reopened (its fingerprint is computed as buildEvalGradientStore computes it). */
function openCached(dir: string, setup: Setup): EvalGradientStore {
  const adapterDir = join(dir, 'adapter');
  const g = loadGradientModel(setup.modelDir, loadPeftAdapter(adapterDir, modelSpecWithFiles(setup.modelDir)));
  const ids = modelSpecialIds(setup.modelDir);
  const fingerprint = gradientStoreFingerprint({ adapterConfigSha256: adapterDir, adapterWeightsSha256: adapterDir, base: setup.modelDir, kPerLayer: EVAL_K_PER_LAYER, seed: SEED, seq: setup.seq });
  return { ...g, store: openRecordGradientStore(join(dir, 'gradients'), fingerprint), tok: Tokenizer.fromModelDir(setup.modelDir), eosId: ids.eos[0] ?? null, padId: ids.pad, seq: setup.seq };
}

export async function attributionEvalDiagnostic(): Promise<unknown> {
  const dir = resolve(process.env.ATTR_DIAG_DIR ?? join('bench', 'out', 'attribution-eval-diagnostic'));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const setup = await trainOnce(dir);
  const trained = { wallS: (performance.now() - t0) / 1000, cpuS: cpuSeconds(c0) };
  const c1 = process.cpuUsage();
  const t1 = performance.now();
  const scorers = [
    ...attributionScorers({ records: setup.records, gradients: openCached(dir, setup), datanet: setup.version, model: setup.modelDir, workDir: join(dir, 'score') }),
    { name: 'bm25', description: 'BM25 over the records, query = prompt + answer', scorer: bm25Scorer(setup.records) },
  ];
  const reword = process.env.ATTR_DIAG_REWORD === '1';
  const facts: { set: PlantedFact['set']; sourceId: string; prompt: string; completion: string; ranks: Record<string, { record: number | null; contributor: number | null; top: string[] }> }[] = [];
  for (const f of setup.facts) {
    const prompt = reword && f.set === 'paraphrased' ? `Describe ${f.prompt.replace('People say the heart of ', '').replace(/ is$/, '')}.` : f.prompt;
    const ranks: Record<string, { record: number | null; contributor: number | null; top: string[] }> = {};
    for (const sc of scorers) {
      const r = await sc.scorer(prompt, f.completion);
      ranks[sc.name] = { record: rankOf(r.records, f.sourceId), contributor: rankOf(r.contributors, f.contributor), top: r.records.slice(0, 3).map((x) => x.id) };
    }
    facts.push({ set: f.set, sourceId: f.sourceId, prompt, completion: f.completion, ranks });
  }
  const sets = Object.fromEntries(
    (['verbatim', 'paraphrased'] as const).map((set) => {
      const of = facts.filter((f) => f.set === set);
      return [set, Object.fromEntries(scorers.map((sc) => [sc.name, { record: retrievalMetrics(of.map((f) => f.ranks[sc.name]!.record)), contributor: retrievalMetrics(of.map((f) => f.ranks[sc.name]!.contributor)) }]))];
    }),
  );
  return { cache: dir, reword, loadavg: loadavg(), trainOrLoad: trained, scoring: { wallS: (performance.now() - t1) / 1000, cpuS: cpuSeconds(c1) }, sets, facts };
}

function cpuSeconds(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1e6;
}
