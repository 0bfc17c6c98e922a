import { ApiCallError } from '../../api/apiClient';
import { StudioError } from '../../api/apiError';
import type { TrainingRunSummary } from '../../engine/training/runTraining';
import { runJobToEnd } from '../runJobToEnd';
import { trainOptions, trainParamsFromCli } from '../trainParamsFromCli';
import { waitForGradientStore } from '../waitForGradientStore';
import { withCore } from '../withCore';
import { UsageError, type Command, type CommandContext } from '../command';
import type { StudioCore } from '../../core/studioCore';
import { getDatanet } from '../../datanets/datanetsRepository';
import { writeTrainingData } from '../../datanets/writeTrainingData';
import { parseDatanetRef } from './datanetCommands';
import { callCore } from '../callCore';
import { pipelineInvalid, readPipelineFile } from './factoryCommands';
import { followRun, humanOutcome, type RunOutcomeSummary } from './runsCommands';

/** `--config X.pipeline.yaml` (or any .yaml/.yml): a Factory pipeline, run exactly as the workbench runs it. */
const isPipelineFile = (file: unknown): file is string => typeof file === 'string' && /\.ya?ml$/i.test(file);

async function trainPipeline(ctx: CommandContext, core: StudioCore, file: string): Promise<RunOutcomeSummary> {
  const others = Object.keys(trainOptions).filter((k) => k !== 'config' && k !== 'gradient-store' && ctx.values[k] !== undefined);
  if (others.length > 0) throw new UsageError(`train --config ${file}: the pipeline file holds every setting; drop --${others.join(', --')}`);
  const { text, baseDir } = readPipelineFile(file);
  const checked = await callCore(core, 'factory.validate', { yaml: text, baseDir });
  if (checked.errors.length > 0) throw pipelineInvalid(file, checked.errors);
  const outcome = await followRun(core, ctx, await callCore(core, 'factory.start', { yaml: text, baseDir }));
  if (!checked.pipeline?.publish.enabled) return outcome;
  // publish.enabled: the adapter goes on chain as soon as it exists (the running devnet).
  await core.chain.start({ detached: true, adoptOnly: true });
  const published = await callCore(core, 'adapters.publish', { name: outcome.adapter });
  ctx.info(`Adapter ${outcome.adapter} registered as model ${published.modelId} on base model ${published.baseModelId}`);
  return { ...outcome, published: { modelId: published.modelId, baseModelId: published.baseModelId } };
}

function datanetTrainingData(ctx: CommandContext, core: StudioCore) {
  if (typeof ctx.values.data === 'string') throw new UsageError('train takes --data or --datanet, not both');
  const ref = parseDatanetRef(String(ctx.values.datanet), 'train --datanet');
  const ws = core.workspace;
  const d = getDatanet(ws.db, ref.name);
  const t = writeTrainingData(ws.db, ws.layout.artifacts, d, ref.version);
  ctx.info(`Training on datanet ${d.name} v${t.version}: ${t.records} records (root ${t.merkleRoot})`);
  return { path: t.path, datanet: { name: d.name, version: t.version, merkleRoot: t.merkleRoot, records: t.records } };
}

export const trainCommand: Command = {
  path: ['train'],
  // Every setting (rank, alpha, targets, steps, lr, batch, seq, seed, eval, ...) is in trainParamsFromCli.ts.
  usage: 'studio train (--config FILE | --model DIR|default (--data FILE.jsonl | --datanet NAME[@V]) --out DIR [--rank R ...]) [--mode lora|full] [--gradient-checkpointing] [--device auto|cpu|cuda] [--resume RUN] [--gradient-store] [--json]',
  summary: 'Train a LoRA adapter (--config FILE.pipeline.yaml: a Factory pipeline, tracked as a run) (or with --mode full every weight, CPU only, writing a whole model) on the native engine (a workspace job; checkpoints under runs/)',
  options: trainOptions,
  async run(ctx) {
    return withCore(ctx, async (core) => {
      if (isPipelineFile(ctx.values.config)) return trainPipeline(ctx, core, ctx.values.config);
      // --datanet NAME[@V]: the version's accepted records, written as training JSONL, are --data.
      const fromDatanet = typeof ctx.values.datanet === 'string' ? datanetTrainingData(ctx, core) : null;
      const params = { ...trainParamsFromCli(fromDatanet ? { ...ctx, values: { ...ctx.values, data: fromDatanet.path } } : ctx, core.workspace.layout.runs), ...(fromDatanet ? { datanet: fromDatanet.datanet } : {}) };
      try {
        const job = await runJobToEnd(core, 'engine.train', params, ctx.info);
        const gradientStore = await waitForGradientStore(core, job.id, ctx.info, ctx.values['gradient-store'] === true);
        return { ...(job.result as TrainingRunSummary), ...(gradientStore ? { gradientStore } : {}) };
      } catch (err) {
        // Keep the job's own error code (TRAINING_FAILED, CANCELLED) rather than a generic one.
        if (err instanceof ApiCallError) throw new StudioError(err.code, err.message, err.details);
        throw err;
      }
    });
  },
  human: (s: TrainingRunSummary | RunOutcomeSummary) =>
    'runId' in s ? humanOutcome(s) : [
      `${s.mode === 'full' ? 'Model' : 'Adapter'} written to ${s.adapter}`,
      `  steps ${s.resumedFromStep > 0 ? `${s.resumedFromStep + 1}-` : ''}${s.steps}, loss ${s.firstLoss?.toFixed(4) ?? '-'} -> ${s.finalLoss?.toFixed(4) ?? '-'}, ${s.tokensPerSecond} tokens/s`,
      ...(s.evalLoss !== null ? [`  eval loss ${s.evalLoss.toFixed(4)}, perplexity ${s.evalPerplexity!.toFixed(3)}`] : []),
      `  device ${s.device.kind === 'cuda' ? (s.device.name ?? 'cuda') : 'cpu'}${s.device.fallbackReason ? ` (no GPU: ${s.device.fallbackReason})` : ''}`,
      `  run folder ${s.runDir} (resume with --resume ${s.runDir})`,
    ].join('\n'),
};
