// `studio eval attribution`: how right the attribution is, measured on the user's own datanet
// and model. Planted facts (plantFacts.ts) are added to a copy of the datanet (makeEvalCopy.ts),
// a LoRA is fine-tuned on the copy with the engine's trainer, the model is prompted for each
// fact, and both the tool's attribution and the BM25 baseline rank the copy's records for the
// model's answer. Recall@1, Recall@5 and MRR of the planted record and of its contributor are
// reported per fact set, side by side.
//
// The tool's scorer is passed in (a factory over the trained copy), so this file does not
// depend on how attribution is computed; when none is available the report says so and gives
// the baseline alone.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { runTraining, type TrainingRunSummary } from '../../engine/training/runTraining';
import { adapterAnswerer } from './adapterAnswerer';
import { bm25Scorer } from './bm25Scorer';
import { evalSettings, type EvalSettings } from './evalSettings';
import { bm25Terms } from './Bm25Index';
import { makeEvalCopy, type EvalCopy } from './makeEvalCopy';
import { plantFacts, type EvalRecord, type FactSet, type PlantedFact } from './plantFacts';
import type { RankedRecords, RecordScorer } from './RecordScorer';
import { rankOf, retrievalMetrics, type RetrievalMetrics } from './retrievalMetrics';

export interface TrainedCopy extends EvalCopy {
  modelDir: string;
  adapterDir: string;
}

/** Builds the tool's scorer over the trained copy, or says why there is none. */
export type ToolScorerFactory = (copy: TrainedCopy) => Promise<{ scorer: RecordScorer; description: string } | { scorer: null; note: string }>;

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
  /** null when the tool's scorer is unavailable (see `tool.note`). */
  tool: ScorerMetrics | null;
  bm25: ScorerMetrics;
}

export interface FactOutcome {
  set: FactSet;
  sourceId: string;
  contributor: string;
  prompt: string;
  answer: string;
  completion: string;
  memorised: boolean;
  /** 1-based ranks of the planted record / its contributor; null when not ranked. */
  tool: { record: number | null; contributor: number | null } | null;
  bm25: { record: number | null; contributor: number | null };
}

export interface AttributionEvalReport {
  model: string;
  quick: boolean;
  seed: number;
  background: { from: string; records: number };
  copy: { datanet: string; records: number };
  training: { steps: number; firstLoss: number | null; finalLoss: number | null; trainSeconds: number; rank: number; targets: string[] };
  tool: { available: boolean; description: string | null; note: string | null };
  sets: Record<FactSet, FactSetReport>;
  facts: FactOutcome[];
}

export async function runAttributionEval(o: AttributionEvalOptions): Promise<AttributionEvalReport> {
  const s = o.settings ?? evalSettings(o.quick);
  const background = o.background.slice(0, s.backgroundRecords);
  if (background.length === 0) throw new Error(`${o.backgroundFrom} has no records to evaluate against`);
  const takenWords = new Set(background.flatMap((r) => bm25Terms(r.text)));
  const contributors = [...new Set(background.map((r) => r.contributor))];
  const planted = plantFacts({ seed: o.seed, verbatim: s.verbatimFacts, paraphrased: s.paraphrasedFacts, contributors, takenWords, takenIds: new Set(background.map((r) => r.sourceId)) });
  const records = [...background, ...planted.records];

  rmSync(o.workDir, { recursive: true, force: true });
  mkdirSync(o.workDir, { recursive: true });
  const copy = await makeEvalCopy(join(o.workDir, 'home'), records, o.info);
  try {
    const spec = modelSpecWithFiles(o.modelDir);
    // Every projection of every layer: a rank-r update of the attention alone memorises slowly.
    const targets = spec.arch === 'gpt2' ? ['c_attn', 'c_proj', 'c_fc'] : ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];
    const adapterDir = join(o.workDir, 'adapter');
    const t = s.training;
    o.info(`Fine-tuning a rank-${t.rank} LoRA for ${t.steps} steps on ${copy.records} records`);
    const summary: TrainingRunSummary = await runTraining(
      {
        model: o.modelDir, data: copy.trainingData, out: adapterDir, rank: t.rank, alpha: t.alpha, targets, dropout: 0, rslora: false, steps: t.steps, lr: t.lr,
        schedule: 'cosine', warmup: Math.min(10, Math.floor(t.steps / 10)), batch: t.batch, seq: Math.min(t.seq, spec.maxPositions), accumulation: 1, weightDecay: 0,
        maxGradNorm: 1, seed: o.seed, checkpointEvery: t.steps, device: 'cpu',
      },
      join(o.workDir, 'run'),
      false,
      { progress: () => {}, log: (_level, m) => o.info(m), betweenChunks: async () => false },
    );
    const trained: TrainedCopy = { ...copy, modelDir: o.modelDir, adapterDir };
    const tool = await o.toolScorer(trained);
    const bm25 = bm25Scorer(records);
    const answer = adapterAnswerer(o.modelDir, adapterDir);
    const facts: FactOutcome[] = [];
    for (const f of planted.facts) {
      const completion = answer(f.prompt, f.answer);
      const ranks = (r: RankedRecords) => ({ record: rankOf(r.records, f.sourceId), contributor: rankOf(r.contributors, f.contributor) });
      facts.push({
        ...factFields(f),
        completion,
        memorised: completion.trim().startsWith(f.answer.trim()),
        tool: tool.scorer ? ranks(await tool.scorer(f.prompt, completion)) : null,
        bm25: ranks(await bm25(f.prompt, completion)),
      });
    }
    const setReport = (set: FactSet): FactSetReport => {
      const of = facts.filter((f) => f.set === set);
      const metrics = (pick: (f: FactOutcome) => { record: number | null; contributor: number | null }): ScorerMetrics => ({
        record: retrievalMetrics(of.map((f) => pick(f).record)),
        contributor: retrievalMetrics(of.map((f) => pick(f).contributor)),
      });
      return {
        facts: of.length,
        memorised: of.length ? of.filter((f) => f.memorised).length / of.length : 0,
        tool: tool.scorer ? metrics((f) => f.tool!) : null,
        bm25: metrics((f) => f.bm25),
      };
    };
    return {
      model: o.modelDir,
      quick: o.quick,
      seed: o.seed,
      background: { from: o.backgroundFrom, records: background.length },
      copy: { datanet: copy.datanet, records: copy.records },
      training: { steps: summary.steps, firstLoss: summary.firstLoss, finalLoss: summary.finalLoss, trainSeconds: summary.trainSeconds, rank: t.rank, targets },
      tool: tool.scorer ? { available: true, description: tool.description, note: null } : { available: false, description: null, note: tool.note },
      sets: { verbatim: setReport('verbatim'), paraphrased: setReport('paraphrased') },
      facts,
    };
  } finally {
    await copy.core.close();
  }
}

function factFields(f: PlantedFact) {
  return { set: f.set, sourceId: f.sourceId, contributor: f.contributor, prompt: f.prompt, answer: f.answer };
}
