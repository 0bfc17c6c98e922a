// `npm run build:default-model`: the default model from the bundled corpora by the recorded
// recipe, resumable across sessions. Every input is fixed (corpus bytes checked against the
// recipe, tokenizer and initial weights derived from them and the seed) and the CPU engine is
// deterministic for any thread count, so an interrupted build resumed from its last checkpoint
// ends with the same bytes as an unbroken one.
//
// The cache folder (default ~/.cache/attribution-studio/default-model/<recipe sha256>/, or
// $STUDIO_DEFAULT_MODEL_CACHE) holds: recipe.json (a copy; another recipe's folder is refused),
// init/ (the untrained model folder), checkpoint/ (the latest full-training checkpoint, swapped
// atomically) and metrics.jsonl (a line per step, for the model card's loss curve).
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadNativeEngine, type NativeModel } from '../native/index';
import { nativeEngineInfo } from '../native/nativeEngineInfo';
import { modelSpecWithFiles } from '../modelSpecWithFiles';
import { Tokenizer } from '../tokenizer/Tokenizer';
import type { EncodeOptions } from '../tokenizer/Tokenizer';
import { BPE_EOS, trainByteLevelBpe } from '../tokenizer/trainByteLevelBpe';
import { trainFull, type FullTrainableModel } from '../training/trainFull';
import { loadFullTrainingCheckpoint, saveFullTrainingCheckpoint, type FullTrainingCheckpoint } from '../training/fullTrainingCheckpoint';
import { tokenizeRecord } from '../training/tokenizeRecord';
import { makeTrainBatch } from '../training/makeTrainBatch';
import type { TrainingRecord } from '../training/readTrainingRecords';
import type { Tensor } from '../tensor';
import { assembleCorpus, type AssembledCorpus } from './assembleCorpus';
import { defaultModelDir, loadDefaultModelRecipe, type LoadedRecipe } from './defaultModelRecipe';
import { packCorpusRecords } from './packCorpusRecords';
import { parameterCount, writeInitialModel } from './writeInitialModel';
import { writeDefaultModelFolder } from './writeDefaultModelFolder';

export interface BuildDefaultModelOptions {
  recipePath?: string;
  /** Default: $STUDIO_DEFAULT_MODEL_CACHE, else ~/.cache/attribution-studio/default-model/<recipe sha256>. */
  cacheDir?: string;
  /** Where the finished model folder goes (default resources/default-model). */
  outDir?: string;
  threads?: number;
  /** Stop before this step (CI's first-steps check, the same code path): no model is written. */
  stopAfter?: number;
  /** Progress lines (default: stderr). */
  log?: (line: string) => void;
}

export interface BuildDefaultModelResult {
  recipeSha256: string;
  cacheDir: string;
  /** The step the build reached (recipe.training.steps when finished). */
  step: number;
  resumedFromStep: number;
  /** Loss of each step this process ran. */
  losses: number[];
  /** weightDigest of the weights after the last step run. */
  weightDigest: string;
  tokensPerSecond: number;
  finished: boolean;
}

/** sha256 over the parameters in name order: name, shape, then the f32 bytes. */
export function weightDigest(parameters: Record<string, Tensor>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(parameters).sort()) {
    const t = parameters[name]!;
    h.update(`${name}:${t.shape.join('x')}\n`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return h.digest('hex');
}

export function defaultModelCacheDir(recipeSha256: string): string {
  return process.env['STUDIO_DEFAULT_MODEL_CACHE'] || join(homedir(), '.cache', 'attribution-studio', 'default-model', recipeSha256);
}

/** Encodes each distinct text once: the training loop re-tokenizes its records at every chunk. */
class MemoTokenizer extends Tokenizer {
  private readonly memo = new Map<string, number[]>();
  override encode(text: string, opts: EncodeOptions = {}): number[] {
    if (opts.addSpecialTokens === false) return super.encode(text, opts);
    let ids = this.memo.get(text);
    if (!ids) this.memo.set(text, (ids = super.encode(text, opts)));
    return [...ids];
  }
}

function formatDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : `${m}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

/** The corpus, checked against the recipe: other bytes would train another model. */
export function checkedCorpus(r: LoadedRecipe): AssembledCorpus {
  const corpus = assembleCorpus();
  if (corpus.sha256 !== r.recipe.corpus.sha256) {
    throw new Error(`${r.path}: corpus.sha256: the assembled corpus is ${corpus.sha256}, the recipe says ${r.recipe.corpus.sha256} (a corpus package's version or the assembly changed: record the new hash and rebuild)`);
  }
  return corpus;
}

export function trainDefaultTokenizer(r: LoadedRecipe, corpus: AssembledCorpus): ReturnType<typeof trainByteLevelBpe> {
  return trainByteLevelBpe(corpus.train.flatMap((d) => d.paragraphs), { vocabSize: r.recipe.tokenizer.vocabSize, minFrequency: r.recipe.tokenizer.minFrequency, modelMaxLength: r.recipe.model.maxPositions });
}

/** The cache folder belongs to one recipe; a checkpoint of another is never resumed. */
function claimCacheDir(dir: string, r: LoadedRecipe): void {
  mkdirSync(dir, { recursive: true });
  const own = join(dir, 'recipe.json');
  const bytes = readFileSync(r.path);
  if (existsSync(own)) {
    const theirs = createHash('sha256').update(readFileSync(own)).digest('hex');
    if (theirs !== r.sha256) throw new Error(`${dir} holds a build of another recipe (sha256 ${theirs}, this one is ${r.sha256}); refusing its checkpoint: use another cache folder or delete that one`);
    return;
  }
  writeFileSync(own, bytes);
}

function heldOutLoss(model: NativeModel, tok: Tokenizer, records: TrainingRecord[], batch: number, seq: number, eosId: number): { loss: number; tokens: number } {
  const rows = records.map((r) => tokenizeRecord(tok, r, eosId));
  let sum = 0;
  let weight = 0;
  for (let i = 0; i < rows.length; i += batch) {
    const l = model.evalLoss(makeTrainBatch(rows.slice(i, i + batch), seq, eosId));
    sum += l.loss * l.weight;
    weight += l.weight;
  }
  return { loss: sum / weight, tokens: weight };
}

export async function buildDefaultModel(o: BuildDefaultModelOptions = {}): Promise<BuildDefaultModelResult> {
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const r = loadDefaultModelRecipe(o.recipePath);
  const { recipe } = r;
  const t = recipe.training;
  const cacheDir = o.cacheDir ?? defaultModelCacheDir(r.sha256);
  claimCacheDir(cacheDir, r);

  const corpus = checkedCorpus(r);
  log(`corpus ${corpus.sha256.slice(0, 12)}: ${corpus.words.train} words to train on, ${corpus.words.heldout} held out`);
  const trained = trainDefaultTokenizer(r, corpus);
  const tok = new MemoTokenizer(trained.tokenizerJson);
  const eosId = tok.tokenToId(BPE_EOS)!;
  if (tok.vocabSize !== recipe.tokenizer.vocabSize) throw new Error(`tokenizer: ${tok.vocabSize} tokens learned, the recipe asks for ${recipe.tokenizer.vocabSize} (the corpus ran out of pairs)`);

  const initDir = join(cacheDir, 'init');
  if (!existsSync(initDir)) {
    const tmp = `${initDir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    writeInitialModel(tmp, recipe, trained, eosId);
    renameSync(tmp, initDir);
  }
  const train = packCorpusRecords(corpus.train, tok, t.seq);
  const records: TrainingRecord[] = train.records.map((text) => ({ kind: 'text', text }));
  log(`tokenizer: ${tok.vocabSize} tokens; ${train.tokens} training tokens in ${records.length} records of at most ${t.seq}; model: ${parameterCount(recipe)} parameters`);

  const engine = loadNativeEngine();
  if (o.threads) engine.setThreads(o.threads);
  const native = new engine.Model({ ...modelSpecWithFiles(initDir), backend: 'cpu' });
  native.enableFullTraining({ gradientCheckpointing: false });
  const model: FullTrainableModel = {
    forwardBackward: (b) => native.forwardBackward(b),
    optimizerStep: (x) => native.optimizerStep(x),
    getParameters: () => native.getParameters(),
    setParameters: (x) => native.setParameters(x),
    getOptimizerState: () => native.getOptimizerState(),
    setOptimizerState: (x) => native.setOptimizerState(x),
  };

  const checkpointDir = join(cacheDir, 'checkpoint');
  const metricsFile = join(cacheDir, 'metrics.jsonl');
  let checkpoint: FullTrainingCheckpoint | undefined;
  if (existsSync(checkpointDir) || existsSync(`${checkpointDir}.old`)) {
    checkpoint = loadFullTrainingCheckpoint(checkpointDir);
    // Steps a killed process ran past its checkpoint are run again: drop their lines.
    if (existsSync(metricsFile)) {
      const kept = readFileSync(metricsFile, 'utf8').split('\n').filter((l) => l && (JSON.parse(l) as { step: number }).step <= checkpoint!.step);
      writeFileSync(metricsFile, kept.map((l) => `${l}\n`).join(''));
    }
    log(`resuming from ${checkpointDir} at step ${checkpoint.step} of ${t.steps}`);
  } else {
    rmSync(metricsFile, { force: true });
  }
  const resumedFromStep = checkpoint?.step ?? 0;
  const end = Math.min(t.steps, o.stopAfter ?? t.steps);
  const info = nativeEngineInfo(engine);
  log(`training on the CPU (${info.kernel}, ${info.threads} threads): steps ${resumedFromStep + 1}-${end} of ${t.steps}, batch ${t.batch} x ${t.seq}, checkpoint every ${t.checkpointEvery}, cache ${cacheDir}`);

  const tokensPerStep = t.batch * t.seq * t.accumulation;
  // Worse than guessing uniformly over the vocabulary, past warmup: the run is diverging.
  const divergedAbove = Math.log(recipe.tokenizer.vocabSize) + 1;
  const losses: number[] = [];
  const started = performance.now();
  let chunkStart = started;
  let chunkFrom = resumedFromStep;
  let rate = 0;
  while ((checkpoint?.step ?? 0) < end) {
    const from = checkpoint?.step ?? 0;
    const lastGood = checkpoint ? `the last good checkpoint (step ${from}) is ${checkpointDir}` : 'no checkpoint was written yet';
    let running = from;
    let result: ReturnType<typeof trainFull>;
    try {
      result = trainFull(model, tok, records, {
        steps: t.steps, batch: t.batch, seq: t.seq, accumulation: t.accumulation, schedule: { lr: t.lr, kind: t.schedule, warmupSteps: t.warmup, minLrRatio: 0.1 },
        weightDecay: t.weightDecay, maxGradNorm: t.maxGradNorm, seed: t.seed, eosId, padId: eosId, resume: checkpoint,
        stopAt: Math.min(end, from + t.checkpointEvery),
        onStep: (s) => {
          running = s.step + 1;
          if (!Number.isFinite(s.loss) || (s.step >= t.warmup && s.loss > divergedAbove)) {
            throw new Error(`the loss is ${s.loss} (diverging: above ${divergedAbove.toFixed(2)}, worse than a uniform guess)`);
          }
          losses.push(s.loss);
          appendFileSync(metricsFile, `${JSON.stringify({ step: s.step + 1, loss: s.loss, lr: s.lr, gradNorm: s.gradNorm, time: new Date().toISOString() })}\n`);
          const now = performance.now();
          const done = s.step + 1 - chunkFrom;
          if (done > 0) rate = (done * tokensPerStep) / ((now - chunkStart) / 1000);
          const eta = ((end - s.step - 1) * tokensPerStep) / rate;
          if (s.step < 10 || (s.step + 1) % 10 === 0 || s.step + 1 === end) {
            log(`step ${s.step + 1}/${t.steps} loss ${s.loss.toFixed(4)} lr ${s.lr.toExponential(2)} grad-norm ${s.gradNorm.toFixed(3)} ${Math.round(rate)} tok/s ETA ${formatDuration(eta)}`);
          }
        },
      });
    } catch (err) {
      throw new Error(`step ${running + 1} of ${t.steps}: ${(err as Error).message}; ${lastGood}`);
    }
    const bad = Object.entries(result.checkpoint.parameters).find(([, x]) => !x.data.every(Number.isFinite));
    if (bad) throw new Error(`step ${result.checkpoint.step} of ${t.steps}: weights are not finite after the update (${bad[0]}); ${lastGood}`);
    checkpoint = result.checkpoint;
    saveFullTrainingCheckpoint(checkpointDir, checkpoint);
    log(`checkpoint at step ${checkpoint.step} written to ${checkpointDir}`);
    chunkStart = performance.now();
    chunkFrom = checkpoint.step;
  }
  // Reached without training (a finished run built again): the weights come from the checkpoint.
  const final = checkpoint ?? { step: 0, parameters: native.getParameters() } as FullTrainingCheckpoint;
  const seconds = (performance.now() - started) / 1000;
  const base: BuildDefaultModelResult = {
    recipeSha256: r.sha256, cacheDir, step: final.step, resumedFromStep, losses, weightDigest: weightDigest(final.parameters),
    tokensPerSecond: losses.length > 0 ? Math.round((losses.length * tokensPerStep) / seconds) : 0, finished: final.step >= t.steps,
  };
  if (!base.finished) return base;

  if (checkpoint) native.setParameters(Object.fromEntries(Object.entries(checkpoint.parameters).map(([k, x]) => [k, x.data])));
  const heldout = packCorpusRecords(corpus.heldout, tok, t.seq).records.map((text): TrainingRecord => ({ kind: 'text', text }));
  const evaluation = heldOutLoss(native, tok, heldout, t.batch, t.seq, eosId);
  log(`held-out loss ${evaluation.loss.toFixed(4)}, perplexity ${Math.exp(evaluation.loss).toFixed(2)} over ${evaluation.tokens} tokens`);
  const outDir = o.outDir ?? defaultModelDir();
  writeDefaultModelFolder(outDir, {
    recipe: r, corpus, tokenizer: trained, eosId, parameters: final.parameters, heldout: evaluation,
    metrics: readFileSync(metricsFile, 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l) as { step: number; loss: number }),
    trainTokens: train.tokens, engine: info,
  });
  log(`model written to ${outDir}`);
  return base;
}
