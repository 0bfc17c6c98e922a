import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { StudioError, ErrorCode } from '../../api/apiError';
import { getDatanet } from '../../datanets/datanetsRepository';
import { getVersionRow, versionRecords } from '../../datanets/versionsRepository';
import { DEMO_BACKGROUND_FROM, demoBackgroundRecords } from '../../attribution/eval/demoBackgroundRecords';
import { evalSettings } from '../../attribution/eval/evalSettings';
import { attributionScorers } from '../../attribution/eval/attributionScorers';
import type { EvalRecord } from '../../attribution/eval/plantFacts';
import { runAttributionEval, type AttributionEvalReport, type ToolScorerFactory } from '../../attribution/eval/runAttributionEval';
import { resolveModelArgument } from '../../engine/defaultModel/resolveModelArgument';
import { UsageError, type Command, type CommandContext } from '../command';
import { formatTable } from '../formatTable';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import { parseDatanetRef } from './datanetCommands';

/** The tool's attribution over the trained copy: combined, and each evidence alone. */
const toolScorer: ToolScorerFactory = (copy) =>
  attributionScorers({ records: copy.recordList, gradients: copy.gradients, datanet: copy.version, model: copy.modelDir, workDir: path.dirname(copy.adapterDir) });

/** The named datanet version's records, read without the workspace's lock (it is never written). */
function datanetBackground(ctx: CommandContext, ref: string): { from: string; records: EvalRecord[] } {
  const r = parseDatanetRef(ref, 'eval attribution --datanet');
  return withReadonlyWorkspace(ctx, (db) => {
    const d = getDatanet(db, r.name);
    const v = getVersionRow(db, d.id, d.name, r.version);
    const records = [...versionRecords(db, v.id)].map((row) => ({ sourceId: row.source_id, contributor: row.contributor, text: row.text }));
    return { from: `datanet ${d.name}@${v.version}`, records };
  });
}

export const evalAttribution: Command = {
  path: ['eval', 'attribution'],
  usage: 'studio eval attribution [--datanet NAME[@V]] [--model DIR|default] [--quick] [--seed N] [--json]',
  summary:
    'Measure attribution quality on a copy of a datanet (the state-of-the-union demo datanet\'s passages when none is named): plant facts, fine-tune a LoRA, prompt for each, and report Recall@1/@5 and MRR of the planted record and contributor, beside BM25',
  options: { datanet: { type: 'string' }, model: { type: 'string' }, quick: { type: 'boolean', default: false }, seed: { type: 'string' } },
  async run(ctx) {
    const quick = ctx.values.quick === true;
    const seed = ctx.values.seed === undefined ? 1 : Number(ctx.values.seed);
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1) throw new UsageError(`--seed: a whole number from 0 to 2147483647, not ${String(ctx.values.seed)}`);
    let modelDir: string;
    try {
      modelDir = resolveModelArgument(typeof ctx.values.model === 'string' ? ctx.values.model : 'default');
    } catch (err) {
      throw new StudioError('MODEL_INVALID', `--model: ${(err as Error).message}`);
    }
    const settings = evalSettings(quick);
    const bg =
      typeof ctx.values.datanet === 'string'
        ? datanetBackground(ctx, ctx.values.datanet)
        : { from: DEMO_BACKGROUND_FROM, records: demoBackgroundRecords(settings.backgroundRecords, seed) };
    if (bg.records.length === 0) throw new StudioError(ErrorCode.InvalidRequest, `${bg.from} has no records`);
    const workDir = mkdtempSync(path.join(tmpdir(), 'studio-eval-attribution-'));
    try {
      return await runAttributionEval({ modelDir, backgroundFrom: bg.from, background: bg.records, quick, seed, workDir, toolScorer, info: ctx.info, settings });
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  },
  human: (r: AttributionEvalReport) => {
    const pct = (x: number) => x.toFixed(3);
    const rows: (string | number)[][] = [];
    for (const [set, s] of Object.entries(r.sets)) {
      for (const [who, m] of Object.entries(s.scorers)) {
        for (const of of ['record', 'contributor'] as const) rows.push([set, who, of, pct(m[of].recallAt1), pct(m[of].recallAt5), pct(m[of].mrr)]);
      }
    }
    return [
      `Model ${r.model}${r.quick ? ' (quick)' : ''}; background ${r.background.from}, ${r.background.records} records; copy ${r.copy.datanet} (${r.copy.records} records)`,
      `LoRA rank ${r.training.rank}, ${r.training.steps} steps (planted facts ${r.training.factRepeats}x), loss ${r.training.firstLoss?.toFixed(3) ?? '-'} -> ${r.training.finalLoss?.toFixed(3) ?? '-'}`,
      `Memorised: verbatim ${pct(r.sets.verbatim.memorised)} of ${r.sets.verbatim.facts}, paraphrased ${pct(r.sets.paraphrased.memorised)} of ${r.sets.paraphrased.facts}`,
      ...Object.entries(r.scorers).map(([name, what]) => `  ${name}: ${what}`),
      formatTable(['SET', 'SCORER', 'OF', 'RECALL@1', 'RECALL@5', 'MRR'], rows),
      `Corrupted-record detection (${r.detection.corrupted} of ${r.detection.records} records shuffled): AUC ${pct(r.detection.dataInf.auc)} by DataInf self-influence, ${pct(r.detection.gradientNorm.auc)} by gradient norm; found at 10% inspected ${pct(r.detection.dataInf.detectedAt10)} / ${pct(r.detection.gradientNorm.detectedAt10)}`,
      `LDS over ${r.lds.subsets} subsets of ${Math.round(r.lds.fraction * 100)}%, ${r.lds.queries} queries: ${r.lds.lds === null ? 'undefined (no query\'s loss or prediction varied)' : r.lds.lds.toFixed(3)}`,
    ].join('\n');
  },
};
