import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../../api/apiError';
import type { Pipeline, RunEvaluation } from '../../api/pipelineSchemas';
import { recordAdapter, uniqueAdapterName } from '../../adapters/adaptersRepository';
import { recordStoredAdapterFiles, storedFields } from '../../adapters/recordStoredAdapterFiles';
import { storeAdapterFiles, type StoredAdapter } from '../../adapters/storeAdapterFolder';
import { getDatanet } from '../../datanets/datanetsRepository';
import { getVersionRow } from '../../datanets/versionsRepository';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS } from '../../engine/peft/savePeftAdapter';
import { readTrainingRecords, type TrainingRecord } from '../../engine/training/readTrainingRecords';
import { runTraining, TrainingCancelled, type TrainingRunConfig, type TrainingRunSummary } from '../../engine/training/runTraining';
import { appendLine, checkpointStepOf, runFiles, truncateRunFiles } from '../../factory/runFiles';
import { completeRun, dropRunDataAfter, runRecord, syncRunFiles } from '../../factory/runsRepository';
import { writeRunData } from '../../factory/writeRunData';
import { readSettings } from '../../workspace/settingsStore';
import { defineJobKind } from '../jobKind';

interface Input {
  runId: string;
  runDir: string;
  pipeline: Pipeline;
  config: TrainingRunConfig;
  resume: boolean;
  evalData: string | null;
  base: StoredBase;
}
type StoredBase = Parameters<typeof storeAdapterFiles>[3];

interface Output {
  summary: TrainingRunSummary;
  stored: StoredAdapter;
  last: RunEvaluation | null;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** A loss this many times the run's first is divergence, not noise (the run stops, its checkpoint stays). */
const DIVERGENCE_FACTOR = 10;

/**
 * A Factory run: the pipeline's data written into the run folder (formatted, split), LoRA
 * training on the engine with an evaluation (eval loss, perplexity, greedy samples) every
 * `train.evalEvery` steps and at the end, then the adapter registered with its lineage. The worker
 * writes metrics and evaluations as files; the core copies them into the runs tables and streams
 * them ('factory.metrics'). A resume continues exactly from the last checkpoint.
 */
export const factoryRun = defineJobKind({
  kind: 'factory.run',
  title: (p) => `Factory run ${p.runId}${p.resume ? ' (resumed)' : ''}`,
  prepare: (db, p, workspaceRoot): Input => {
    const rec = runRecord(db, p.runId);
    const pipeline = rec.pipeline;
    const runDir = rec.summary.runDir;
    const datanet = getDatanet(db, pipeline.datanet.name);
    const version = getVersionRow(db, datanet.id, datanet.name, pipeline.datanet.version);
    if (version.merkle_root !== rec.summary.datanet.merkleRoot) {
      throw new StudioError('PIPELINE_INVALID', `datanet ${datanet.name} v${version.version} changed since the run started (Merkle root ${version.merkle_root}, the run's ${rec.summary.datanet.merkleRoot})`);
    }
    const files = runFiles(runDir);
    const step = p.resume ? checkpointStepOf(runDir) : 0;
    // Nothing to continue from: the run starts over in a clean folder (its data is written again, the same).
    const resume = p.resume && step > 0;
    if (!resume) {
      fs.rmSync(runDir, { recursive: true, force: true });
      fs.mkdirSync(path.dirname(runDir), { recursive: true });
      writeRunData(db, pipeline, datanet.schema, version.id, rec.summary.model.dir, runDir);
    } else {
      fs.rmSync(files.adapter, { recursive: true, force: true });
    }
    truncateRunFiles(runDir, step);
    dropRunDataAfter(db, p.runId, step);
    const t = pipeline.train;
    const config: TrainingRunConfig = {
      model: rec.summary.model.dir,
      data: files.trainData,
      out: files.adapter,
      rank: pipeline.lora.rank,
      alpha: pipeline.lora.alpha,
      ...(pipeline.lora.targets ? { targets: pipeline.lora.targets } : {}),
      dropout: pipeline.lora.dropout,
      rslora: pipeline.lora.rslora,
      steps: rec.summary.steps,
      lr: t.lr,
      schedule: t.schedule,
      warmup: t.warmup,
      batch: t.batch,
      seq: t.seq,
      accumulation: t.accumulation,
      weightDecay: t.weightDecay,
      maxGradNorm: t.maxGradNorm,
      seed: t.seed,
      // Checkpoints fall on every evaluation step too: the hook between chunks evaluates.
      checkpointEvery: t.evalEvery ? gcd(t.checkpointEvery, t.evalEvery) : t.checkpointEvery,
      ...(t.threads ? { threads: t.threads } : {}),
      device: t.device ?? readSettings(db).engine.device,
      datanet: { name: datanet.name, version: version.version, merkleRoot: version.merkle_root, records: version.records },
      mode: 'lora',
    };
    void workspaceRoot;
    return { runId: p.runId, runDir, pipeline, config, resume, evalData: fs.existsSync(files.evalData) ? files.evalData : null, base: rec.base };
  },
  async run(input, ctx): Promise<Output> {
    const { pipeline, config, runDir } = input;
    const files = runFiles(runDir);
    fs.mkdirSync(files.dir, { recursive: true });
    const evalRecords: TrainingRecord[] | null = input.evalData && pipeline.evaluate.evalLoss ? readTrainingRecords(input.evalData) : null;
    const evalEvery = pipeline.train.evalEvery;
    const tokensPerStep = config.batch * config.seq * config.accumulation;
    let last: RunEvaluation | null = null;
    let firstLoss: number | null = null;
    let stepStarted = performance.now();
    let summary: TrainingRunSummary;
    try {
      summary = await runTraining(config, runDir, input.resume, {
        progress: (fraction, message) => ctx.progress(fraction, message),
        log: (level, message) => ctx.log(level, message),
        betweenChunks: () => new Promise((resolve) => setImmediate(() => resolve(ctx.signal.aborted))),
        cancelFlag: ctx.cancelFlag,
        step: (s) => {
          const now = performance.now();
          const seconds = (now - stepStarted) / 1000;
          stepStarted = now;
          appendLine(files.metrics, {
            step: s.step + 1,
            loss: Number.isFinite(s.loss) ? s.loss : null,
            lr: s.lr,
            gradNorm: Number.isFinite(s.gradNorm) ? s.gradNorm : null,
            tokensPerSecond: seconds > 0 ? Math.round(tokensPerStep / seconds) : 0,
            memoryMB: Math.round(process.memoryUsage().rss / 2 ** 20),
            time: new Date().toISOString(),
          });
          if (!Number.isFinite(s.loss)) throw new Error(`step ${s.step + 1}: the loss is not finite (${s.loss}): training diverged`);
          firstLoss ??= s.loss;
          if (s.loss > DIVERGENCE_FACTOR * firstLoss) throw new Error(`step ${s.step + 1}: the loss ${s.loss.toFixed(3)} is over ${DIVERGENCE_FACTOR}x the first (${firstLoss.toFixed(3)}): training diverged; lower train.lr`);
        },
        afterCheckpoint: (step, probe) => {
          const due = step === config.steps || (evalEvery !== undefined && step % evalEvery === 0);
          let evalLoss: number | null = null;
          let samples: RunEvaluation['samples'] = [];
          if (due) {
            if (evalRecords) evalLoss = probe.evalLoss(evalRecords).loss;
            samples = pipeline.evaluate.prompts.map((prompt) => ({ prompt, text: probe.generate(prompt, pipeline.evaluate.maxTokens) }));
            if (evalLoss !== null) ctx.log('info', `step ${step}: eval loss ${evalLoss.toFixed(4)}, perplexity ${Math.exp(evalLoss).toFixed(3)}`);
          }
          const e: RunEvaluation = { step, evalLoss, perplexity: evalLoss === null ? null : Math.exp(evalLoss), samples, checkpoint: true, time: new Date().toISOString() };
          appendLine(files.evaluations, e);
          if (due) last = e;
          stepStarted = performance.now();
        },
      });
    } catch (err) {
      const details = { runDir, runId: input.runId };
      if (err instanceof TrainingCancelled) throw new StudioError(ErrorCode.Cancelled, `${err.message.replace(/continue with --resume .*$/, '')}continue with: studio runs resume ${input.runId}`, details);
      if (err instanceof StudioError) throw err;
      const step = checkpointStepOf(runDir);
      const kept = step > 0 ? `; the last checkpoint (step ${step}) is kept: studio runs resume ${input.runId} continues from it` : '; no checkpoint was written yet';
      throw new StudioError('TRAINING_FAILED', `${err instanceof Error ? err.message : String(err)}${kept}`, { ...details, checkpointStep: step });
    }
    const stored = await storeAdapterFiles(
      path.join(ctx.workspaceRoot, 'artifacts'),
      { config: path.join(summary.adapter, ADAPTER_CONFIG), weights: path.join(summary.adapter, ADAPTER_WEIGHTS) },
      loadPeftAdapter(summary.adapter),
      input.base,
    );
    return { summary, stored, last };
  },
  commit: (db, { summary, stored, last }, p) => {
    const rec = runRecord(db, p.runId);
    syncRunFiles(db, p.runId, rec.summary.runDir);
    const name = uniqueAdapterName(db, rec.pipeline.adapter.name);
    const d = rec.summary.datanet;
    recordStoredAdapterFiles(db, stored, name);
    recordAdapter(db, { ...storedFields(stored), name, source: 'trained', datanet: `${d.name}@${d.version} ${d.merkleRoot}`, run: p.runId, importedFrom: null, parents: [] });
    const evalLoss = last?.evalLoss ?? null;
    completeRun(db, p.runId, { adapter: name, adapterPath: summary.adapter, finalLoss: summary.finalLoss, evalLoss, tokensPerSecond: summary.tokensPerSecond });
    return {
      runId: p.runId,
      adapter: name,
      adapterPath: summary.adapter,
      steps: summary.steps,
      resumedFromStep: summary.resumedFromStep,
      finalLoss: summary.finalLoss,
      evalLoss,
      evalPerplexity: evalLoss === null ? null : Math.exp(evalLoss),
      tokensPerSecond: summary.tokensPerSecond,
      trainSeconds: summary.trainSeconds,
    };
  },
  interrupted: (p, workspaceRoot) => {
    const runDir = path.join(workspaceRoot, 'runs', p.runId);
    const step = checkpointStepOf(runDir);
    const head = 'Studio stopped before this run finished (the app was closed, crashed or was killed).';
    return {
      code: 'INTERRUPTED',
      message: step > 0 ? `${head} Its checkpoint after step ${step} is kept: studio runs resume ${p.runId} continues from there.` : `${head} No checkpoint was written yet: studio runs resume ${p.runId} starts it again.`,
      details: { runDir, checkpointStep: step, resumeCommand: `studio runs resume ${p.runId}` },
    };
  },
});
