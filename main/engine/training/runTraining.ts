// One training run as the app runs it (the body of the 'engine.train' job, in a worker):
// load the model and records, train on the native engine in chunks of `checkpointEvery` steps,
// write an exact-resume checkpoint after each chunk into the run folder, measure eval loss, and
// write the result to `out` atomically (a temporary folder renamed into place): a LoRA adapter
// in PEFT layout, or with `mode: 'full'` (every weight trained, CPU only) a whole Hugging Face
// model folder.
//
// The run folder holds run.json (the options and the data's sha256, so a resume can refuse data
// that changed), metrics.jsonl (a line per step) and checkpoint/ (the latest checkpoint).
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { INPUT_LIMITS, readInputFile, readJsonFile } from '../../files/readInputFile';
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
import { trainFull, type FullTrainableModel } from './trainFull';
import { loadFullTrainingCheckpoint, saveFullTrainingCheckpoint, type FullTrainingCheckpoint } from './fullTrainingCheckpoint';
import { writeTrainedModelFolder } from './writeTrainedModelFolder';

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
  /** 'lora' (default): an adapter; 'full': every weight trained, a whole model written to `out`. */
  mode?: 'lora' | 'full';
  /** Full mode: recompute each layer in backward instead of keeping its activations (same bits). */
  gradientCheckpointing?: boolean;
}

/** Full-parameter training has no device path yet: 'auto' falls back to the CPU saying this. */
export const FULL_TRAINING_CPU_ONLY = 'full-parameter training runs on the CPU engine only (the CUDA backend computes no weight gradients yet)';

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
  /** Each step as it ends (the Factory's metrics); throwing fails the run, keeping the last checkpoint. */
  step?(s: { step: number; loss: number; lr: number; gradNorm: number }): void;
  /**
   * LoRA mode, after each chunk's checkpoint is on disk (and once more at a resumed run's end
   * step): the Factory evaluates and samples here, on the model as trained so far.
   */
  afterCheckpoint?(step: number, model: TrainedModelProbe): void | Promise<void>;
}

/** What a hook may ask of the model being trained, between chunks. */
export interface TrainedModelProbe {
  /** Mean loss per trained token over records (no dropout). */
  evalLoss(records: TrainingRecord[]): { loss: number; tokens: number };
  /** Greedy continuation of a prompt (full forward passes: the training LoRA applies). */
  generate(prompt: string, maxTokens: number): string;
}

export interface TrainingRunSummary {
  runDir: string;
  /** The adapter folder (PEFT layout), or in full mode the trained model's folder. */
  adapter: string;
  /** 'lora' or 'full' (what `adapter` holds). */
  mode: 'lora' | 'full';
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
  /** Values the optimizer updated: the LoRA factors, or every weight in full mode. */
  trainableParameters: number;
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
  return createHash('sha256').update(readInputFile(path, INPUT_LIMITS.trainingData)).digest('hex');
}

/**
 * The fields of run.json compared on resume (threads may change: results are thread-independent;
 * the device may change too, a resume on another device continues from the same state; so may
 * gradient checkpointing, which gives the same bits).
 */
function fingerprint(c: TrainingRunConfig, dataSha256: string, evalSha256: string | null): Record<string, unknown> {
  const { threads: _threads, device: _device, gradientCheckpointing: _checkpointing, ...rest } = c;
  return { ...rest, dataSha256, evalSha256 };
}

export function readRunConfig(runDir: string): TrainingRunConfig {
  const file = join(runDir, RUN_FILE);
  if (!existsSync(file)) throw new Error(`resume: ${runDir} is not a training run folder (no ${RUN_FILE})`);
  const saved = readJsonFile(file, INPUT_LIMITS.configJson) as { config?: TrainingRunConfig } | null;
  if (!saved?.config || typeof saved.config !== 'object') throw new Error(`resume: ${file} has no "config" object`);
  return saved.config;
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
  const full = c.mode === 'full';
  if (existsSync(c.out)) throw new Error(`out: ${c.out} already exists; give a new folder for the ${full ? 'model' : 'adapter'}`);
  if (full && c.device === 'cuda') throw new Error(`device: ${FULL_TRAINING_CPU_ONLY}; use --device cpu or auto`);
  const ids = modelSpecialIds(c.model);
  const eosId = ids.eos[0] ?? null;
  const targets = c.targets ?? defaultTargets(spec.arch);

  const print = fingerprint(c, sha256File(c.data), c.eval ? sha256File(c.eval) : null);
  const checkpointDir = join(runDir, 'checkpoint');
  let checkpoint: TrainingCheckpoint | undefined;
  let fullCheckpoint: FullTrainingCheckpoint | undefined;
  if (resume) {
    const saved = JSON.parse(readFileSync(join(runDir, RUN_FILE), 'utf8')) as { fingerprint: Record<string, unknown> };
    for (const [k, v] of Object.entries(print)) {
      if (JSON.stringify(saved.fingerprint[k]) !== JSON.stringify(v)) {
        throw new Error(`resume: ${k} differs from the run's (${JSON.stringify(saved.fingerprint[k])} then, ${JSON.stringify(v)} now); an exact resume needs the same settings and data`);
      }
    }
    if (!existsSync(checkpointDir)) throw new Error(`resume: ${runDir} has no checkpoint yet; start the run again instead`);
    if (full) fullCheckpoint = loadFullTrainingCheckpoint(checkpointDir);
    else checkpoint = loadTrainingCheckpoint(checkpointDir, spec);
    const savedStep = (full ? fullCheckpoint?.step : checkpoint?.step) ?? 0;
    // Steps a killed process ran past its last checkpoint are run again: drop their lines.
    const metrics = join(runDir, 'metrics.jsonl');
    if (existsSync(metrics)) {
      const kept = readFileSync(metrics, 'utf8').split('\n').filter((l) => l && (JSON.parse(l) as { step: number }).step <= savedStep);
      writeFileSync(metrics, kept.map((l) => `${l}\n`).join(''));
    }
    hooks.log('info', `Resuming ${basename(runDir)} at step ${savedStep} of ${c.steps}`);
  } else {
    mkdirSync(runDir, { recursive: true });
    writeFileSync(join(runDir, RUN_FILE), `${JSON.stringify({ version: 1, createdAt: new Date().toISOString(), config: c, fingerprint: print }, null, 2)}\n`);
  }

  const native = new engine.Model({ ...spec, backend: full ? 'cpu' : (c.device ?? 'auto') });
  if (full) native.enableFullTraining({ gradientCheckpointing: c.gradientCheckpointing ?? false });
  const nativeBackend = native.info().backend;
  const backend = full && c.device !== 'cpu' ? { ...nativeBackend, fallbackReason: FULL_TRAINING_CPU_ONLY } : nativeBackend;
  const device: TrainingDevice = { kind: backend.kind, ...(backend.device ? { name: backend.device } : {}), ...(backend.fallbackReason ? { fallbackReason: backend.fallbackReason } : {}) };
  hooks.log('info', backend.kind === 'cuda' ? `Training on ${backend.device ?? 'CUDA'}` : `Training on the CPU${backend.fallbackReason ? ` (${full ? '' : 'no GPU: '}${backend.fallbackReason})` : ''}`);
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

  const probe: TrainedModelProbe = {
    evalLoss: (recs) => stoppedByCancel(() => evalLoss(native, tok, recs, c, eosId, ids.pad)),
    generate: (prompt, maxTokens) => stoppedByCancel(() => greedyContinuation(native, tok, prompt, maxTokens, spec.maxPositions, eosId, spec.vocabSize)),
  };
  // The engine stopped inside a step (hooks.cancelFlag): what ran since the last checkpoint is
  // dropped, as after a kill; the checkpoint on disk is whole.
  const stoppedByCancel = <T>(work: () => T): T => {
    try {
      return work();
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'ENGINE_CANCELLED') throw err;
      const at = (full ? fullCheckpoint?.step : checkpoint?.step) ?? 0;
      throw new TrainingCancelled(
        existsSync(checkpointDir)
          ? `Training stopped by a cancel request after step ${at} of ${c.steps} (its checkpoint); continue with --resume ${runDir}`
          : `Training stopped by a cancel request before its first checkpoint; nothing to resume, start the run again`,
      );
    }
  };
  const resumedFromStep = (full ? fullCheckpoint?.step : checkpoint?.step) ?? 0;
  const losses: number[] = [];
  const metricsFile = join(runDir, 'metrics.jsonl');
  const logEvery = Math.max(1, Math.round(c.steps / 10));
  let trainSeconds = 0;
  let adapter = checkpoint?.adapter;
  const onStep = (s: { step: number; loss: number; lr: number; gradNorm: number }) => {
    losses.push(s.loss);
    hooks.step?.(s);
    appendFileSync(metricsFile, `${JSON.stringify({ step: s.step + 1, loss: s.loss, lr: s.lr, gradNorm: s.gradNorm, time: new Date().toISOString() })}\n`);
    const line = `step ${s.step + 1}/${c.steps} loss ${s.loss.toFixed(4)} lr ${s.lr.toExponential(2)} grad-norm ${s.gradNorm.toFixed(3)}`;
    hooks.progress((s.step + 1) / c.steps, line);
    if ((s.step + 1) % logEvery === 0 || s.step + 1 === c.steps) hooks.log('info', line);
  };
  if (full) {
    const fullModel: FullTrainableModel = {
      forwardBackward: (b) => native.forwardBackward(b),
      optimizerStep: (o) => native.optimizerStep(o),
      getParameters: () => native.getParameters(),
      setParameters: (t) => native.setParameters(t),
      getOptimizerState: () => native.getOptimizerState(),
      setOptimizerState: (s) => native.setOptimizerState(s),
    };
    // As below: a loop that runs at least once, a checkpoint after every chunk that ran steps.
    do {
      const from = fullCheckpoint?.step ?? 0;
      const t0 = performance.now();
      let running = from;
      const r = stoppedByCancel(() => {
        try {
          return trainFull(fullModel, tok, records, {
            steps: c.steps, batch: c.batch, seq: c.seq, accumulation: c.accumulation, schedule: { lr: c.lr, kind: c.schedule, warmupSteps: c.warmup },
            weightDecay: c.weightDecay, maxGradNorm: c.maxGradNorm, seed: c.seed, eosId, padId: ids.pad, resume: fullCheckpoint,
            stopAt: Math.min(c.steps, from + c.checkpointEvery),
            onStep: (st) => {
              running = st.step + 1;
              onStep(st);
            },
          });
        } catch (err) {
          // A diverging run (NaN or Inf loss or gradient norm) names the step and the last good
          // checkpoint, which stays whole on disk.
          if ((err as { code?: unknown }).code === 'ENGINE_CANCELLED') throw err;
          const last = existsSync(checkpointDir) ? `the last good checkpoint (step ${from}) is ${checkpointDir}` : 'no checkpoint was written yet';
          throw new Error(`step ${running + 1} of ${c.steps}: ${(err as Error).message}; ${last}`);
        }
      });
      trainSeconds += (performance.now() - t0) / 1000;
      // An update can overflow a weight while the loss that led to it was still finite: such
      // weights never replace the last good checkpoint.
      const bad = Object.entries(r.checkpoint.parameters).find(([, t]) => !t.data.every(Number.isFinite));
      if (bad) {
        const last = existsSync(checkpointDir) ? `the last good checkpoint (step ${from}) is ${checkpointDir}` : 'no checkpoint was written yet';
        throw new Error(`step ${running} of ${c.steps}: weights are not finite after the update (${bad[0]}); ${last}`);
      }
      fullCheckpoint = r.checkpoint;
      if (fullCheckpoint.step > from) saveFullTrainingCheckpoint(checkpointDir, fullCheckpoint);
      if (fullCheckpoint.step < c.steps && (await hooks.betweenChunks())) {
        throw new TrainingCancelled(`Training stopped at step ${fullCheckpoint.step} of ${c.steps}; continue with --resume ${runDir}`);
      }
    } while (fullCheckpoint.step < c.steps);
  }
  // A loop that runs at least once: a resumed run that had finished still rebuilds its model.
  if (!full) do {
    const stopAt = Math.min(c.steps, (checkpoint?.step ?? 0) + c.checkpointEvery);
    const t0 = performance.now();
    const r = stoppedByCancel(() => trainLora(model, spec, tok, records, {
      targets, rank: c.rank, alpha: c.alpha, rslora: c.rslora, dropout: c.dropout, steps: c.steps, batch: c.batch, seq: c.seq,
      accumulation: c.accumulation, schedule: { lr: c.lr, kind: c.schedule, warmupSteps: c.warmup }, weightDecay: c.weightDecay,
      maxGradNorm: c.maxGradNorm, seed: c.seed, eosId, padId: ids.pad, resume: checkpoint, stopAt,
      onStep,
    }));
    trainSeconds += (performance.now() - t0) / 1000;
    const ran = r.checkpoint.step - (checkpoint?.step ?? 0);
    checkpoint = r.checkpoint;
    adapter = r.adapter;
    if (ran > 0) saveTrainingCheckpoint(checkpointDir, checkpoint);
    if (hooks.afterCheckpoint && (ran > 0 || checkpoint.step === c.steps)) await hooks.afterCheckpoint(checkpoint.step, probe);
    if (checkpoint.step < c.steps && (await hooks.betweenChunks())) {
      throw new TrainingCancelled(`Training stopped at step ${checkpoint.step} of ${c.steps}; continue with --resume ${runDir}`);
    }
  } while (checkpoint.step < c.steps);

  const evaluation = evalRecords ? stoppedByCancel(() => evalLoss(native, tok, evalRecords, c, eosId, ids.pad)) : null;
  if (evaluation) hooks.log('info', `eval loss ${evaluation.loss.toFixed(4)}, perplexity ${Math.exp(evaluation.loss).toFixed(3)} over ${evaluation.tokens} tokens`);

  if (full) {
    writeTrainedModelFolder(c.model, c.out, fullCheckpoint!.parameters);
    hooks.log('info', `Model written to ${c.out}`);
  } else {
    writeAdapter(c, adapter!, checkpointDir);
    hooks.log('info', `Adapter written to ${c.out}`);
  }

  const info = nativeEngineInfo(engine);
  const stepsRun = losses.length;
  const nativeInfo = native.info();
  return {
    runDir,
    adapter: c.out,
    mode: full ? 'full' : 'lora',
    model: c.model,
    arch: spec.arch,
    targets: full ? [] : targets,
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
    loraParameters: nativeInfo.loraParameters,
    trainableParameters: nativeInfo.trainableParameters ?? nativeInfo.loraParameters,
    threads: info.threads,
    kernel: info.kernel,
    device,
  };
}

/** The adapter appears at `out` whole or not at all. */
function writeAdapter(c: TrainingRunConfig, adapter: TrainingCheckpoint['adapter'], checkpointDir: string): void {
  const tmp = join(dirname(c.out), `.${basename(c.out)}.tmp-${process.pid}-${Date.now()}`);
  rmSync(tmp, { recursive: true, force: true });
  savePeftAdapter(tmp, { ...adapter, config: { ...adapter.config, baseModelNameOrPath: c.model } });
  try {
    renameSync(tmp, c.out);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`out: could not move the adapter to ${c.out} (${(err as Error).message}); it is also in ${checkpointDir}`);
  }
}

/** Greedy decoding by whole forward passes: slow per token, but it sees the LoRA being trained. */
function greedyContinuation(model: NativeModel, tok: Tokenizer, prompt: string, maxTokens: number, maxPositions: number, eosId: number | null, vocab: number): string {
  const ids = tok.encode(prompt);
  const start = ids.length;
  for (let n = 0; n < maxTokens && ids.length < maxPositions; n++) {
    const logits = model.forward(Int32Array.from(ids), 1, ids.length);
    const row = logits.subarray((ids.length - 1) * vocab, ids.length * vocab);
    let best = 0;
    for (let v = 1; v < vocab; v++) if (row[v]! > row[best]!) best = v;
    if (best === eosId) break;
    ids.push(best);
  }
  return tok.decode(ids.slice(start), { skipSpecialTokens: true });
}

/** Mean loss per trained token over the eval records (the response only for instruction records), no dropout. */
function evalLoss(model: NativeModel, tok: Tokenizer, records: TrainingRecord[], c: TrainingRunConfig, eosId: number | null, padId: number): { loss: number; tokens: number } {
  const rows = records.map((r) => tokenizeRecord(tok, r, eosId)).filter((r) => r.weights.slice(1).some((w) => w > 0));
  if (rows.length === 0) throw new Error(`eval: no record of ${c.eval ?? 'the eval split'} has a token to score`);
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < rows.length; i += c.batch) {
    const r = model.evalLoss(makeTrainBatch(rows.slice(i, i + c.batch), c.seq, padId));
    sum += r.loss * r.weight;
    weight += r.weight;
  }
  return { loss: sum / weight, tokens: weight };
}
