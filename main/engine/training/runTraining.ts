// One LoRA training run as the app runs it (the body of the 'engine.train' job, in a worker):
// load the model and records, train on the native engine in chunks of `checkpointEvery` steps,
// write an exact-resume checkpoint after each chunk into the run folder, measure eval loss, and
// write the adapter to `out` atomically (a temporary folder renamed into place).
//
// The run folder holds run.json (the options and the data's sha256, so a resume can refuse data
// that changed), metrics.jsonl (a line per step) and checkpoint/ (the latest checkpoint).
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadNativeEngine, type DeviceChoice, type NativeModel } from '../native/index';
import { nativeEngineInfo } from '../native/nativeEngineInfo';
import { modelSpecWithFiles } from '../modelSpecWithFiles';
import { modelSpecialIds } from '../modelSpecialIds';
import type { ModelSpec } from '../modelConfig';
import { Tokenizer } from '../tokenizer/Tokenizer';
import { savePeftAdapter } from '../peft/savePeftAdapter';
import { readTrainingRecords, type TrainingRecord } from './readTrainingRecords';
import { tokenizeRecord } from './tokenizeRecord';
import { makeTrainBatch } from './makeTrainBatch';
import { trainLora, type TrainableModel } from './trainLora';
import { loadTrainingCheckpoint, saveTrainingCheckpoint, type TrainingCheckpoint } from './trainingCheckpoint';

/** What decides the numbers a run produces; run.json keeps it and a resume must match it. */
export interface TrainingRunConfig {
  model: string;
  data: string;
  /** The datanet version the data came from, when it did. */
  datanet?: { name: string; version: number; merkleRoot: string; records: number };
  eval?: string;
  out: string;
  rank: number;
  alpha: number;
  targets?: string[];
  dropout: number;
  rslora: boolean;
  steps: number;
  lr: number;
  schedule: 'constant' | 'linear' | 'cosine';
  warmup: number;
  batch: number;
  seq: number;
  accumulation: number;
  weightDecay: number;
  maxGradNorm: number;
  seed: number;
  checkpointEvery: number;
  threads?: number;
  /** Where to train (default 'auto'); like threads, not part of what a resume must match. */
  device?: DeviceChoice;
}

export interface TrainingRunHooks {
  progress(fraction: number, message: string): void;
  log(level: 'info' | 'warn', message: string): void;
  /**
   * Awaited after each checkpoint. Training is synchronous native work, so this is where a worker
   * gets to read a cancel request; return true to stop (the checkpoint just written stays).
   */
  betweenChunks(): Promise<boolean>;
  /**
   * A cancel request in shared memory (JobContext.cancelFlag): the engine watches it during each
   * step, so a cancel stops within one transformer layer instead of at the next checkpoint.
   */
  cancelFlag?: Int32Array;
}

export interface TrainingRunSummary {
  runDir: string;
  /** The adapter folder (PEFT layout). */
  adapter: string;
  model: string;
  arch: ModelSpec['arch'];
  targets: string[];
  steps: number;
  /** The step this process started at (0, or the checkpoint's step when resumed). */
  resumedFromStep: number;
  firstLoss: number | null;
  finalLoss: number | null;
  /** Loss of each step run by this process. */
  losses: number[];
  records: number;
  /** Token positions processed (batch x seq x accumulation per step) per second of training. */
  tokensPerSecond: number;
  trainSeconds: number;
  evalLoss: number | null;
  evalPerplexity: number | null;
  evalTokens: number | null;
  loraParameters: number;
  threads: number;
  kernel: string;
  /** Where the run trained: 'cpu' or 'cuda' with the device's name; why not CUDA when 'auto' fell back. */
  device: TrainingDevice;
}

export interface TrainingDevice {
  kind: 'cpu' | 'cuda';
  name?: string;
  fallbackReason?: string;
}

export class TrainingCancelled extends Error {
  override readonly name = 'TrainingCancelled';
}

const RUN_FILE = 'run.json';

export function defaultTargets(arch: ModelSpec['arch']): string[] {
  return arch === 'gpt2' ? ['c_attn'] : ['q', 'v'];
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * The fields of run.json compared on resume (threads may change: results are thread-independent;
 * the device may change too, a resume on another device continues from the same state).
 */
function fingerprint(c: TrainingRunConfig, dataSha256: string, evalSha256: string | null): Record<string, unknown> {
  const { threads: _threads, device: _device, ...rest } = c;
  return { ...rest, dataSha256, evalSha256 };
}

export function readRunConfig(runDir: string): TrainingRunConfig {
  const file = join(runDir, RUN_FILE);
  if (!existsSync(file)) throw new Error(`resume: ${runDir} is not a training run folder (no ${RUN_FILE})`);
  return (JSON.parse(readFileSync(file, 'utf8')) as { config: TrainingRunConfig }).config;
}

export async function runTraining(c: TrainingRunConfig, runDir: string, resume: boolean, hooks: TrainingRunHooks): Promise<TrainingRunSummary> {
  const engine = loadNativeEngine();
  if (hooks.cancelFlag) engine.setCancelSignal(hooks.cancelFlag);
  if (c.threads) engine.setThreads(c.threads);
  const spec = modelSpecWithFiles(c.model);
  const tok = Tokenizer.fromModelDir(c.model);
  if (c.seq > spec.maxPositions) throw new Error(`seq: ${c.seq} tokens is longer than the model's ${spec.maxPositions} positions`);
  const records = readTrainingRecords(c.data);
  const evalRecords = c.eval ? readTrainingRecords(c.eval) : null;
  if (existsSync(c.out)) throw new Error(`out: ${c.out} already exists; give a new folder for the adapter`);
  const ids = modelSpecialIds(c.model);
  const eosId = ids.eos[0] ?? null;
  const targets = c.targets ?? defaultTargets(spec.arch);

  const print = fingerprint(c, sha256File(c.data), c.eval ? sha256File(c.eval) : null);
  const checkpointDir = join(runDir, 'checkpoint');
  let checkpoint: TrainingCheckpoint | undefined;
  if (resume) {
    const saved = JSON.parse(readFileSync(join(runDir, RUN_FILE), 'utf8')) as { fingerprint: Record<string, unknown> };
    for (const [k, v] of Object.entries(print)) {
      if (JSON.stringify(saved.fingerprint[k]) !== JSON.stringify(v)) {
        throw new Error(`resume: ${k} differs from the run's (${JSON.stringify(saved.fingerprint[k])} then, ${JSON.stringify(v)} now); an exact resume needs the same settings and data`);
      }
    }
    if (!existsSync(checkpointDir)) throw new Error(`resume: ${runDir} has no checkpoint yet; start the run again instead`);
    checkpoint = loadTrainingCheckpoint(checkpointDir, spec);
    // Steps a killed process ran past its last checkpoint are run again: drop their lines.
    const metrics = join(runDir, 'metrics.jsonl');
    if (existsSync(metrics)) {
      const kept = readFileSync(metrics, 'utf8').split('\n').filter((l) => l && (JSON.parse(l) as { step: number }).step <= checkpoint!.step);
      writeFileSync(metrics, kept.map((l) => `${l}\n`).join(''));
    }
    hooks.log('info', `Resuming ${basename(runDir)} at step ${checkpoint.step} of ${c.steps}`);
  } else {
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, RUN_FILE), `${JSON.stringify({ version: 1, createdAt: new Date().toISOString(), config: c, fingerprint: print }, null, 2)}\n`);
  }

  const native = new engine.Model({ ...spec, backend: c.device ?? 'auto' });
  const backend = native.info().backend;
  const device: TrainingDevice = { kind: backend.kind, ...(backend.device ? { name: backend.device } : {}), ...(backend.fallbackReason ? { fallbackReason: backend.fallbackReason } : {}) };
  hooks.log('info', backend.kind === 'cuda' ? `Training on ${backend.device ?? 'CUDA'}` : `Training on the CPU${backend.fallbackReason ? ` (no GPU: ${backend.fallbackReason})` : ''}`);
  // trainLora adds the LoRA slots on every call; chunks after the first resume the same slots
  // (tensors and optimizer state set back to what they already are), so only the first adds.
  let added = false;
  const model: TrainableModel = {
    addLora: (o) => {
      if (!added) native.addLora(o);
      added = true;
    },
    forwardBackward: (b) => native.forwardBackward(b),
    optimizerStep: (o) => native.optimizerStep(o),
    getLoraTensors: () => native.getLoraTensors(),
    setLoraTensors: (t) => native.setLoraTensors(t),
    getOptimizerState: () => native.getOptimizerState(),
    setOptimizerState: (s) => native.setOptimizerState(s),
  };

  // The engine stopped inside a step (hooks.cancelFlag): what ran since the last checkpoint is
  // dropped, as after a kill; the checkpoint on disk is whole.
  const stoppedByCancel = <T>(work: () => T): T => {
    try {
      return work();
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENGINE_CANCELLED') throw err;
      const at = checkpoint?.step ?? 0;
      throw new TrainingCancelled(
        existsSync(checkpointDir)
          ? `Training stopped by a cancel request after step ${at} of ${c.steps} (its checkpoint); continue with --resume ${runDir}`
          : `Training stopped by a cancel request before its first checkpoint; nothing to resume, start the run again`,
      );
    }
  };
  const resumedFromStep = checkpoint?.step ?? 0;
  const losses: number[] = [];
  const metricsFile = join(runDir, 'metrics.jsonl');
  const logEvery = Math.max(1, Math.round(c.steps / 10));
  let trainSeconds = 0;
  let adapter = checkpoint?.adapter;
  // A loop that runs at least once: a resumed run that had finished still rebuilds its model.
  do {
    const stopAt = Math.min(c.steps, (checkpoint?.step ?? 0) + c.checkpointEvery);
    const t0 = performance.now();
    const r = stoppedByCancel(() => trainLora(model, spec, tok, records, {
      targets, rank: c.rank, alpha: c.alpha, rslora: c.rslora, dropout: c.dropout, steps: c.steps, batch: c.batch, seq: c.seq,
      accumulation: c.accumulation, schedule: { lr: c.lr, kind: c.schedule, warmupSteps: c.warmup }, weightDecay: c.weightDecay,
      maxGradNorm: c.maxGradNorm, seed: c.seed, eosId, padId: ids.pad, resume: checkpoint, stopAt,
      onStep: (s) => {
        losses.push(s.loss);
        appendFileSync(metricsFile, `${JSON.stringify({ step: s.step + 1, loss: s.loss, lr: s.lr, gradNorm: s.gradNorm, time: new Date().toISOString() })}\n`);
        const line = `step ${s.step + 1}/${c.steps} loss ${s.loss.toFixed(4)} lr ${s.lr.toExponential(2)} grad-norm ${s.gradNorm.toFixed(3)}`;
        hooks.progress((s.step + 1) / c.steps, line);
        if ((s.step + 1) % logEvery === 0 || s.step + 1 === c.steps) hooks.log('info', line);
      },
    }));
    trainSeconds += (performance.now() - t0) / 1000;
    const ran = r.checkpoint.step - (checkpoint?.step ?? 0);
    checkpoint = r.checkpoint;
    adapter = r.adapter;
    if (ran > 0) saveTrainingCheckpoint(checkpointDir, checkpoint);
    if (checkpoint.step < c.steps && (await hooks.betweenChunks())) {
      throw new TrainingCancelled(`Training stopped at step ${checkpoint.step} of ${c.steps}; continue with --resume ${runDir}`);
    }
  } while (checkpoint.step < c.steps);

  const evaluation = evalRecords ? stoppedByCancel(() => evalLoss(native, tok, evalRecords, c, eosId, ids.pad)) : null;
  if (evaluation) hooks.log('info', `eval loss ${evaluation.loss.toFixed(4)}, perplexity ${Math.exp(evaluation.loss).toFixed(3)} over ${evaluation.tokens} tokens`);

  // The adapter appears at `out` whole or not at all.
  const tmp = join(dirname(c.out), `.${basename(c.out)}.tmp-${process.pid}-${Date.now()}`);
  rmSync(tmp, { recursive: true, force: true });
  savePeftAdapter(tmp, { ...adapter!, config: { ...adapter!.config, baseModelNameOrPath: c.model } });
  try {
    renameSync(tmp, c.out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`out: could not move the adapter to ${c.out} (${(err as Error).message}); it is also in ${checkpointDir}`);
  }
  hooks.log('info', `Adapter written to ${c.out}`);

  const info = nativeEngineInfo(engine);
  const stepsRun = losses.length;
  return {
    runDir,
    adapter: c.out,
    model: c.model,
    arch: spec.arch,
    targets,
    steps: c.steps,
    resumedFromStep,
    firstLoss: losses[0] ?? null,
    finalLoss: losses.at(-1) ?? null,
    losses,
    records: records.length,
    tokensPerSecond: trainSeconds > 0 ? Math.round((stepsRun * c.batch * c.seq * c.accumulation) / trainSeconds) : 0,
    trainSeconds: +trainSeconds.toFixed(3),
    evalLoss: evaluation?.loss ?? null,
    evalPerplexity: evaluation ? Math.exp(evaluation.loss) : null,
    evalTokens: evaluation?.tokens ?? null,
    loraParameters: native.info().loraParameters,
    threads: info.threads,
    kernel: info.kernel,
    device,
  };
}

/** Mean loss per trained token over the eval records (the response only for instruction records), no dropout. */
function evalLoss(model: NativeModel, tok: Tokenizer, records: TrainingRecord[], c: TrainingRunConfig, eosId: number | null, padId: number): { loss: number; tokens: number } {
  const rows = records.map((r) => tokenizeRecord(tok, r, eosId)).filter((r) => r.weights.slice(1).some((w) => w > 0));
  if (rows.length === 0) throw new Error(`eval: no record of ${c.eval} has a token to score`);
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < rows.length; i += c.batch) {
    const r = model.evalLoss(makeTrainBatch(rows.slice(i, i + c.batch), c.seq, padId));
    sum += r.loss * r.weight;
    weight += r.weight;
  }
  return { loss: sum / weight, tokens: weight };
}
