// `studio eval attribution`: how right the attribution is, measured on the user's own datanet
// and model. Planted facts (plantFacts.ts) are added to a copy of the datanet (makeEvalCopy.ts),
// a LoRA is fine-tuned on the copy with the engine's trainer, the model is prompted for each
// fact, and both the tool's attribution and the BM25 baseline rank the copy's records for the
// model's answer. Recall@1, Recall@5 and MRR of the planted record and of its contributor are
// reported per fact set, side by side. The same run also measures corrupted-record detection by
// self-influence (a share of the background has its words shuffled before training; AUC and
// detection rate at 10% inspected, from the record gradient store) and a small LDS
// (linearDatamodelingScore.ts: retraining on random halves).
//
// The tool's scorer is passed in (a factory over the trained copy), so this file does not
// depend on how attribution is computed; when none is available the report says so and gives
// the baseline alone.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { adapterAnswerer } from './adapterAnswerer';
import { corruptRecords } from './corruptRecords';
import { buildEvalGradientStore, type EvalGradientStore } from './evalGradientStore';
import { gradientRecordScores } from './gradientRecordScores';
import { linearDatamodelingScore, type LdsReport } from './linearDatamodelingScore';
import { detectionRateAt, rocAuc } from './rocAuc';
import { selfInfluence } from './selfInfluence';
import { evalTargets, trainEvalAdapter } from './trainEvalAdapter';
import { bm25Scorer } from './bm25Scorer';
import { evalSettings, type EvalSettings } from './evalSettings';
import { bm25Terms } from './Bm25Index';
import { makeEvalCopy, type EvalCopy } from './makeEvalCopy';
import { repeatPlantedFacts } from './repeatPlantedFacts';
import { sampleBackground } from './sampleBackground';
import { plantFacts, type EvalRecord, type FactSet, type PlantedFact } from './plantFacts';
import type { NamedScorer } from './attributionScorers';
import type { RankedRecords } from './RecordScorer';
import { rankOf, retrievalMetrics, type RetrievalMetrics } from './retrievalMetrics';

export interface TrainedCopy extends EvalCopy {
  modelDir: string;
  adapterDir: string;
  /** Every record of the copy, as trained on (corrupted ones corrupted). */
  recordList: readonly EvalRecord[];
  gradients: EvalGradientStore;
}

/** Builds the tool's scorers over the trained copy (BM25 is added beside them). */
export type ToolScorerFactory = (copy: TrainedCopy) => NamedScorer[];

export interface AttributionEvalOptions {
  modelDir: string;
  /** Where the background came from, in words (a datanet version, or the demo corpus). */
  backgroundFrom: string;
  background: readonly EvalRecord[];
  quick: boolean;
  seed: number;
  /** A folder the run may fill and that is removed afterwards (the copy's workspace, the adapter). */
  workDir: string;
  toolScorer: ToolScorerFactory;
  info(message: string): void;
  /** Test hook: smaller or larger settings than quick/full. */
  settings?: EvalSettings;
}

export interface ScorerMetrics {
  record: RetrievalMetrics;
  contributor: RetrievalMetrics;
}

export interface FactSetReport {
  facts: number;
  /** Share of questions the model answered with the planted answer (its start). */
  memorised: number;
  /** Per scorer: the tool's ('tool', and its evidences alone: 'spans', 'gradient') and 'bm25'. */
  scorers: Record<string, ScorerMetrics>;
}

export interface FactOutcome {
  set: FactSet;
  sourceId: string;
  contributor: string;
  prompt: string;
  answer: string;
  completion: string;
  memorised: boolean;
  /** Per scorer, 1-based ranks of the planted record / its contributor; null when not ranked. */
  ranks: Record<string, { record: number | null; contributor: number | null }>;
}

export interface DetectionReport {
  records: number;
  corrupted: number;
  /** AUC and detection rate at 10% inspected, per self-influence score. */
  gradientNorm: { auc: number; detectedAt10: number };
  dataInf: { auc: number; detectedAt10: number };
}

export interface AttributionEvalReport {
  model: string;
  quick: boolean;
  seed: number;
  background: { from: string; records: number };
  copy: { datanet: string; records: number };
  training: { steps: number; firstLoss: number | null; finalLoss: number | null; trainSeconds: number; rank: number; targets: string[]; factRepeats: number; lr: number; batch: number; seq: number };
  /** What each scorer is, in words. */
  scorers: Record<string, string>;
  sets: Record<FactSet, FactSetReport>;
  /** Corrupted-record detection by self-influence over the background records. */
  detection: DetectionReport;
  /** Linear datamodeling score of the gradient evidence. */
  lds: LdsReport;
  facts: FactOutcome[];
}

export async function runAttributionEval(o: AttributionEvalOptions): Promise<AttributionEvalReport> {
  const s = o.settings ?? evalSettings(o.quick);
  const background = sampleBackground(o.background, s.backgroundRecords, o.seed);
  if (background.length === 0) throw new Error(`${o.backgroundFrom} has no records to evaluate against`);
  const corruption = corruptRecords(background, s.corruptFraction, o.seed);
  const takenWords = new Set(background.flatMap((r) => bm25Terms(r.text)));
  const contributors = [...new Set(background.map((r) => r.contributor))];
  const planted = plantFacts({ seed: o.seed, verbatim: s.verbatimFacts, paraphrased: s.paraphrasedFacts, contributors, takenWords, takenIds: new Set(background.map((r) => r.sourceId)) });
  const records = [...corruption.records, ...planted.records];
  const factIds = new Set(planted.facts.map((f) => f.sourceId));

  rmSync(o.workDir, { recursive: true, force: true });
  mkdirSync(o.workDir, { recursive: true });
  const copy = await makeEvalCopy(join(o.workDir, 'home'), records, o.info);
  try {
    const spec = modelSpecWithFiles(o.modelDir);
    const targets = evalTargets(o.modelDir);
    const adapterDir = join(o.workDir, 'adapter');
    const t = s.training;
    const seq = Math.min(t.seq, spec.maxPositions);
    const factRecords = planted.records.filter((r) => factIds.has(r.sourceId));
    const data = repeatPlantedFacts({ trainingData: copy.trainingData, facts: factRecords, repeats: s.factRepeats, out: join(o.workDir, 'train.jsonl') });
    o.info(`Fine-tuning a rank-${t.rank} LoRA for ${t.steps} steps on ${copy.records} records (${corruption.corrupted.size} corrupted), the ${factRecords.length} planted facts ${s.factRepeats} times each`);
    const summary = await trainEvalAdapter({ modelDir: o.modelDir, data, out: adapterDir, runDir: join(o.workDir, 'run'), training: t, seed: o.seed, log: o.info });
    o.info('Computing the record gradient store');
    const gradients = buildEvalGradientStore({ modelDir: o.modelDir, adapterDir, records, seq, seed: o.seed, outDir: o.workDir });
    const trained: TrainedCopy = { ...copy, modelDir: o.modelDir, adapterDir, recordList: records, gradients };
    const scorers: NamedScorer[] = [...o.toolScorer(trained), { name: 'bm25', description: 'BM25 (k1 1.2, b 0.75) over the records, query = prompt + answer', scorer: bm25Scorer(records) }];
    o.info(`Prompting for ${planted.facts.length} facts`);
    const answer = adapterAnswerer(o.modelDir, adapterDir);
    const facts: FactOutcome[] = [];
    for (const f of planted.facts) {
      const completion = answer(f.prompt, f.answer);
      const ranks: FactOutcome['ranks'] = {};
      for (const sc of scorers) {
        const r: RankedRecords = await sc.scorer(f.prompt, completion);
        ranks[sc.name] = { record: rankOf(r.records, f.sourceId), contributor: rankOf(r.contributors, f.contributor) };
      }
      facts.push({ ...factFields(f), completion, memorised: completion.trim().startsWith(f.answer.trim()), ranks });
    }
    const setReport = (set: FactSet): FactSetReport => {
      const of = facts.filter((f) => f.set === set);
      const metrics = (name: string): ScorerMetrics => ({
        record: retrievalMetrics(of.map((f) => f.ranks[name]!.record)),
        contributor: retrievalMetrics(of.map((f) => f.ranks[name]!.contributor)),
      });
      return {
        facts: of.length,
        memorised: of.length ? of.filter((f) => f.memorised).length / of.length : 0,
        scorers: Object.fromEntries(scorers.map((sc) => [sc.name, metrics(sc.name)])),
      };
    };
    const detection = detect(gradients, background.map((r) => r.sourceId), corruption.corrupted);
    const ldsQueries = [...planted.facts.filter((f) => f.set === 'verbatim').slice(0, Math.ceil(s.ldsQueries / 2)), ...planted.facts.filter((f) => f.set === 'paraphrased').slice(0, Math.floor(s.ldsQueries / 2))];
    const lds = await linearDatamodelingScore({
      modelDir: o.modelDir, records, queries: ldsQueries.map((f) => ({ prompt: f.prompt, answer: f.answer })),
      scores: (q) => gradientRecordScores(gradients, q.prompt, q.answer, gradients.store.rows), g: gradients,
      repeat: { ids: factIds, times: s.factRepeats }, subsets: s.ldsSubsets, fraction: s.ldsFraction, training: { ...t, steps: s.ldsSteps }, seed: o.seed, workDir: o.workDir, info: o.info,
    });
    return {
      model: o.modelDir,
      quick: o.quick,
      seed: o.seed,
      background: { from: o.backgroundFrom, records: background.length },
      copy: { datanet: copy.datanet, records: copy.records },
      training: { steps: summary.steps, firstLoss: summary.firstLoss, finalLoss: summary.finalLoss, trainSeconds: summary.trainSeconds, rank: t.rank, targets, factRepeats: s.factRepeats, lr: t.lr, batch: t.batch, seq },
      scorers: Object.fromEntries(scorers.map((sc) => [sc.name, sc.description])),
      sets: { verbatim: setReport('verbatim'), paraphrased: setReport('paraphrased') },
      detection,
      lds,
      facts,
    };
  } finally {
    await copy.core.close();
  }
}

/** Self-influence AUCs over the background records (the planted ones are not the curator's). */
function detect(g: EvalGradientStore, background: readonly string[], corrupted: ReadonlySet<string>): DetectionReport {
  const self = selfInfluence(g.store);
  const row = new Map(self.ids.map((id, i) => [id, i]));
  const kept = background.filter((id) => row.has(id));
  const positive = kept.map((id) => corrupted.has(id));
  const figures = (scores: Float64Array) => {
    const xs = kept.map((id) => scores[row.get(id)!]!);
    return { auc: rocAuc(xs, positive), detectedAt10: detectionRateAt(xs, positive, 0.1) };
  };
  return { records: kept.length, corrupted: positive.filter(Boolean).length, gradientNorm: figures(self.gradientNorm), dataInf: figures(self.dataInf) };
}

function factFields(f: PlantedFact) {
  return { set: f.set, sourceId: f.sourceId, contributor: f.contributor, prompt: f.prompt, answer: f.answer };
}
