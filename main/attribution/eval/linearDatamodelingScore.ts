// A small linear datamodeling score (LDS, Park et al. 2023, TRAK): retrain the LoRA on a few
// random halves of the copy's records, measure each query's loss under each retrained adapter,
// and ask whether the attribution predicted the order. The prediction for query q and subset S
// is minus the sum of q's attribution scores over the records in S (a record that helps q lowers
// its loss when it is trained on); LDS is Spearman's correlation between predicted and measured
// losses across the subsets, averaged over the queries. With few subsets each correlation is
// coarse (M = 3 gives only a handful of possible values): the figure is reported, not targeted.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { makeTrainBatch } from '../../engine/training/makeTrainBatch';
import { tokenizeRecord } from '../../engine/training/tokenizeRecord';
import { loadGradientModel } from '../loadGradientModel';
import type { EvalGradientStore } from './evalGradientStore';
import type { EvalSettings } from './evalSettings';
import type { EvalRecord } from './plantFacts';
import { spearmanCorrelation } from './spearmanCorrelation';
import { trainEvalAdapter } from './trainEvalAdapter';

export interface LdsQuery {
  prompt: string;
  answer: string;
}

export interface LdsReport {
  subsets: number;
  fraction: number;
  /** Training steps of each retraining. */
  steps: number;
  queries: number;
  /** Mean over the queries whose correlation is defined (neither side constant). */
  lds: number | null;
  /** Per query, in order; null where undefined. */
  perQuery: (number | null)[];
}

export async function linearDatamodelingScore(o: {
  modelDir: string;
  records: readonly EvalRecord[];
  queries: readonly LdsQuery[];
  /** Attribution scores of every record for a query (records absent score 0). */
  scores: (q: LdsQuery) => Map<string, number>;
  g: Pick<EvalGradientStore, 'tok' | 'eosId' | 'padId' | 'seq'>;
  /** Records trained on `times` times when in the subset (the planted facts: the main run's recipe, repeatPlantedFacts.ts). */
  repeat?: { ids: ReadonlySet<string>; times: number };
  subsets: number;
  fraction: number;
  training: EvalSettings['training'];
  seed: number;
  workDir: string;
  info(m: string): void;
}): Promise<LdsReport> {
  const rng = new Xoshiro128(o.seed ^ 0x1d5);
  const predictedScores = o.queries.map((q) => o.scores(q));
  const measured: number[][] = o.queries.map(() => []);
  const predicted: number[][] = o.queries.map(() => []);
  const spec = modelSpecWithFiles(o.modelDir);
  for (let m = 0; m < o.subsets; m++) {
    const subset = o.records.filter(() => rng.nextU32() / 2 ** 32 < o.fraction);
    const data = join(o.workDir, `lds-${m}.jsonl`);
    const rows = subset.flatMap((r) => Array<string>(o.repeat?.ids.has(r.sourceId) ? o.repeat.times : 1).fill(JSON.stringify({ text: r.text })));
    writeFileSync(data, rows.join('\n') + '\n');
    o.info(`LDS subset ${m + 1} of ${o.subsets}: retraining on ${subset.length} of ${o.records.length} records`);
    const out = join(o.workDir, `lds-${m}-adapter`);
    await trainEvalAdapter({ modelDir: o.modelDir, data, out, runDir: join(o.workDir, `lds-${m}-run`), training: o.training, seed: o.seed + m + 1 });
    const { model } = loadGradientModel(o.modelDir, loadPeftAdapter(out, spec));
    const inSubset = new Set(subset.map((r) => r.sourceId));
    o.queries.forEach((q, i) => {
      const row = tokenizeRecord(o.g.tok, { kind: 'chat', prompt: q.prompt, response: q.answer }, o.g.eosId);
      measured[i]!.push(model.evalLoss(makeTrainBatch([row], Math.min(o.g.seq, spec.maxPositions), o.g.padId)).loss);
      let sum = 0;
      for (const [id, s] of predictedScores[i]!) if (inSubset.has(id)) sum += s;
      predicted[i]!.push(-sum);
    });
  }
  const perQuery = o.queries.map((_, i) => {
    const r = spearmanCorrelation(predicted[i]!, measured[i]!);
    return Number.isNaN(r) ? null : r;
  });
  const defined = perQuery.filter((r): r is number => r !== null);
  return { subsets: o.subsets, fraction: o.fraction, steps: o.training.steps, queries: o.queries.length, lds: defined.length ? defined.reduce((s, r) => s + r, 0) / defined.length : null, perQuery };
}
