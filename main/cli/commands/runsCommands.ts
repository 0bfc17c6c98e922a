import { ApiCallError } from '../../api/apiClient';
import { StudioError } from '../../api/apiError';
import type { AdapterPublishResult, FactoryRunResult, RunDetail, RunSummary, RunsCompare } from '../../api/pipelineSchemas';
import type { StudioCore } from '../../core/studioCore';
import { callCore } from '../callCore';
import { UsageError, type Command, type CommandContext } from '../command';
import { formatTable } from '../formatTable';
import { waitForJob } from '../runJobToEnd';
import { waitForGradientStore, type GradientStoreOutcome } from '../waitForGradientStore';
import { withCore } from '../withCore';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import { exportRun, RUN_EXPORT_FORMATS, type RunExportFormat } from '../../factory/exportRun';

const WS = '[--workspace NAME] [--json]';
const num = (v: number | null | undefined, digits = 4) => (v === null || v === undefined ? '-' : v.toFixed(digits));

/** What `studio train --config FILE.pipeline.yaml --json` and `runs resume --json` print. */
export interface RunOutcomeSummary {
  runId: string;
  status: RunSummary['status'];
  finalLoss: number | null;
  evalLoss: number | null;
  evalPerplexity: number | null;
  adapter: string;
  adapterPath: string;
  steps: number;
  resumedFromStep: number;
  tokensPerSecond: number;
  trainSeconds: number;
  configHash: string;
  runDir: string;
  /** The ModelRegistry ids, when the pipeline's publish.enabled registered the adapter. */
  published?: { modelId: string; baseModelId: string };
  /** The adapter's gradient store for attribution, built after the run (its datanet is the lineage). */
  gradientStore?: GradientStoreOutcome;
}

/** Waits for the run's job; a failed run exits non-zero with its reason (and the run id to resume). */
export async function followRun(core: StudioCore, ctx: CommandContext, run: RunSummary): Promise<RunOutcomeSummary> {
  ctx.info(`Run ${run.id} (${run.name}): ${run.steps} steps on ${run.datanet.name} v${run.datanet.version}`);
  let job;
  try {
    job = await waitForJob(core, run.jobId!, ctx.info);
  } catch (err) {
    if (err instanceof ApiCallError) throw new StudioError(err.code, `run ${run.id}: ${err.message}`, { ...(typeof err.details === 'object' ? err.details : {}), runId: run.id });
    throw err;
  }
  const r = job.result as FactoryRunResult;
  const gradientStore = await waitForGradientStore(core, job.id, ctx.info, ctx.values['gradient-store'] === true);
  return {
    runId: run.id,
    status: 'completed',
    finalLoss: r.finalLoss,
    evalLoss: r.evalLoss,
    evalPerplexity: r.evalPerplexity,
    adapter: r.adapter,
    adapterPath: r.adapterPath,
    steps: r.steps,
    resumedFromStep: r.resumedFromStep,
    tokensPerSecond: r.tokensPerSecond,
    trainSeconds: r.trainSeconds,
    configHash: run.configHash,
    runDir: run.runDir,
    ...(gradientStore ? { gradientStore } : {}),
  };
}

export const humanOutcome = (s: RunOutcomeSummary) =>
  [
    `Run ${s.runId} completed: adapter ${s.adapter} (${s.adapterPath})`,
    `  steps ${s.resumedFromStep > 0 ? `${s.resumedFromStep + 1}-` : ''}${s.steps}, final loss ${num(s.finalLoss)}, eval loss ${num(s.evalLoss)}${s.evalPerplexity !== null ? ` (perplexity ${num(s.evalPerplexity, 3)})` : ''}, ${s.tokensPerSecond} tokens/s`,
    `  config ${s.configHash.slice(0, 16)}, run folder ${s.runDir}`,
    ...(s.gradientStore ? ['error' in s.gradientStore ? `  gradient store not built: ${s.gradientStore.error}` : `  gradient store for attribution: ${s.gradientStore.records} records (${s.gradientStore.dir})`] : []),
  ].join('\n');

function ids(ctx: CommandContext, usage: string, min = 1, max = 1): string[] {
  const got = ctx.positionals;
  if (got.length < min || got.length > max) throw new UsageError(`usage: ${usage}`);
  return got;
}

export const runsList: Command = {
  path: ['runs', 'list'],
  usage: `studio runs list [--limit N] ${WS}`,
  summary: 'Factory runs, newest first: status (with the reason a run failed), steps, losses, adapter',
  options: { limit: { type: 'string' } },
  run: (ctx) => withCore(ctx, (core) => callCore(core, 'runs.list', ctx.values.limit ? { limit: Number(ctx.values.limit) } : {})),
  human: (runs: RunSummary[]) =>
    runs.length === 0
      ? 'No runs yet: studio train --config FILE.pipeline.yaml starts one.'
      : formatTable(
          ['ID', 'NAME', 'STATUS', 'STEP', 'LOSS', 'EVAL', 'ADAPTER'],
          runs.map((r) => [r.id, r.name, r.status, `${r.step}/${r.steps}`, num(r.finalLoss), num(r.evalLoss), r.adapter ?? '-']),
        ),
};

export const runsShow: Command = {
  path: ['runs', 'show'],
  usage: `studio runs show ID ${WS}`,
  summary: 'One run: its pipeline, every step\'s metrics, evaluations with samples, checkpoints and adapter',
  run: (ctx) => withCore(ctx, (core) => callCore(core, 'runs.get', { id: ids(ctx, 'studio runs show ID')[0]! })),
  human: (r: RunDetail) =>
    [
      `${r.id} ${r.name}: ${r.status}${r.reason ? ` (${r.reason})` : ''}`,
      `  datanet ${r.datanet.name} v${r.datanet.version} (root ${r.datanet.merkleRoot}), base ${r.model.dir} (${r.model.digest.slice(0, 12)})`,
      `  step ${r.step}/${r.steps}, final loss ${num(r.finalLoss)}, eval loss ${num(r.evalLoss)}, config ${r.configHash.slice(0, 16)}`,
      ...(r.adapter ? [`  adapter ${r.adapter} (${r.adapterPath})`] : []),
      ...r.evaluations.map((e) => `  step ${e.step}${e.checkpoint ? ' [checkpoint]' : ''}${e.evalLoss !== null ? ` eval loss ${num(e.evalLoss)} perplexity ${num(e.perplexity, 3)}` : ''}${e.samples.map((s) => `\n    "${s.prompt}" -> ${JSON.stringify(s.text)}`).join('')}`),
    ].join('\n'),
};

export const runsCompare: Command = {
  path: ['runs', 'compare'],
  usage: `studio runs compare ID ID [ID [ID]] ${WS}`,
  summary: '2 to 4 runs side by side: settings that differ, final figures, samples',
  run: (ctx) => withCore(ctx, (core) => callCore(core, 'runs.compare', { ids: ids(ctx, 'studio runs compare ID ID [ID [ID]]', 2, 4) })),
  human: (c: RunsCompare) =>
    [
      formatTable(['', ...c.runs.map((r) => r.id)], [
        ['status', ...c.runs.map((r) => r.status)],
        ['final loss', ...c.runs.map((r) => num(r.finalLoss))],
        ['eval loss', ...c.runs.map((r) => num(r.evalLoss))],
        ...c.differences.map((d) => [d.path, ...d.values.map((v) => JSON.stringify(v))]),
      ]),
      ...c.samples.map((s) => `"${s.prompt}"\n${s.texts.map((t, i) => `  ${c.runs[i]!.id}: ${t === null ? '-' : JSON.stringify(t)}`).join('\n')}`),
    ].join('\n'),
};

export const runsResume: Command = {
  path: ['runs', 'resume'],
  usage: `studio runs resume ID [--gradient-store] ${WS}`,
  options: { 'gradient-store': { type: 'boolean' } },
  summary: 'Continue a failed, cancelled or interrupted run from its last checkpoint (same numbers as an unbroken run)',
  run: (ctx) => withCore(ctx, async (core) => followRun(core, ctx, await callCore(core, 'runs.resume', { id: ids(ctx, 'studio runs resume ID')[0]! }))),
  human: humanOutcome,
};

export const runsCancel: Command = {
  path: ['runs', 'cancel'],
  usage: `studio runs cancel ID ${WS}`,
  summary: 'Cancel a queued or running run of this process (its last checkpoint stays; resume continues from it)',
  run: (ctx) => withCore(ctx, (core) => callCore(core, 'runs.cancel', { id: ids(ctx, 'studio runs cancel ID')[0]! })),
  human: (r: RunSummary) => `${r.id}: ${r.status}`,
};

export const adaptersPublish: Command = {
  path: ['adapters', 'publish'],
  usage: `studio adapters publish NAME ${WS}`,
  summary: "Register a Factory run's adapter in the running devnet's ModelRegistry with its lineage (base model, datanet version, config hash)",
  run: (ctx) =>
    withCore(ctx, async (core) => {
      const name = ids(ctx, 'studio adapters publish NAME')[0]!;
      await core.chain.start({ detached: true, adoptOnly: true });
      return callCore(core, 'adapters.publish', { name });
    }),
  human: (r: AdapterPublishResult) =>
    [
      `Adapter ${r.adapter} registered as model ${r.modelId} on base model ${r.baseModelId}`,
      `  trained on datanet ${r.datanet.name} v${r.datanet.version} (on chain: datanet ${r.datanet.onchainDatanetId} version ${r.datanet.onchainVersion}), config ${r.configHash}`,
      ...r.publications.map((p) => `  ${p.title}: ${p.status} (tx ${p.txHash ?? '-'})`),
    ].join('\n'),
};

export const runsExport: Command = {
  path: ['runs', 'export'],
  usage: `studio runs export ID --format peft-job|hf|gguf --out DIR ${WS}`,
  summary: 'A run as a transformers + PEFT job (train.py, job.json, its data), or its merged model as a Hugging Face folder or GGUF with an Ollama Modelfile',
  options: { format: { type: 'string' }, out: { type: 'string' } },
  run: async (ctx) => {
    const id = ids(ctx, 'studio runs export ID --format peft-job|hf|gguf --out DIR')[0]!;
    const format = ctx.values.format;
    if (typeof format !== 'string' || !(RUN_EXPORT_FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: one of ${RUN_EXPORT_FORMATS.join(', ')}`);
    if (typeof ctx.values.out !== 'string') throw new UsageError('--out: the new folder to write');
    const out = ctx.values.out;
    // Reads the workspace without its lock, so it works beside a running `studio serve`.
    return withReadonlyWorkspace(ctx, (db) => exportRun(db, id, format as RunExportFormat, out));
  },
  human: (r: { format: string; dir: string; files: string[] }) => [`Exported ${r.format} to ${r.dir}`, ...r.files.map((f) => `  ${f}`)].join('\n'),
};

export const runsCommands: Command[] = [runsList, runsShow, runsCompare, runsResume, runsCancel, runsExport, adaptersPublish];
