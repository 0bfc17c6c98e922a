// The full-parameter training loop (every weight trained, no adapter), over any engine with the
// native engine's calls: the same seeded data order, accumulation (normalised by the total
// trained-token weight of the step, so accumulation equals one big batch) and per-step LR
// schedule as trainLora. Weight decay reaches matrices only; the engine skips norms and biases.
import type { Tokenizer } from '../tokenizer/Tokenizer';
import type { Tensor } from '../tensor';
import type { LrSchedule } from './learningRateAt';
import type { TrainingRecord } from './readTrainingRecords';
import { tokenizeRecord, type TokenizedRecord } from './tokenizeRecord';
import { runTrainingSteps } from './runTrainingSteps';
import { DataOrder, type DataPosition } from './DataOrder';
import type { OptimizerStateLike } from './trainingCheckpoint';
import type { FullTrainingCheckpoint } from './fullTrainingCheckpoint';

/** The part of the native engine's model this loop drives (after enableFullTraining). */
export interface FullTrainableModel {
  forwardBackward(b: { tokens: Int32Array; targets: Int32Array; mask?: Float32Array; batch: number; seq: number; normalizer?: number }): { loss: number; weight: number };
  optimizerStep(o: { lr: number; weightDecay?: number; maxGradNorm?: number }): { gradNorm: number; step: number };
  getParameters(): Record<string, Tensor>;
  setParameters(t: Record<string, Float32Array>): void;
  getOptimizerState(): OptimizerStateLike;
  setOptimizerState(s: OptimizerStateLike): void;
}

export interface TrainFullOptions {
  steps: number;
  batch: number;
  seq: number;
  /** Micro-batches per optimizer step. */
  accumulation?: number;
  schedule: Omit<LrSchedule, 'totalSteps'>;
  weightDecay?: number;
  maxGradNorm?: number;
  seed: number;
  eosId: number | null;
  padId: number;
  onStep?: (s: { step: number; loss: number; lr: number; gradNorm: number; position: DataPosition }) => void;
  /** Continue from a checkpoint (same options, same records): results equal an unbroken run. */
  resume?: FullTrainingCheckpoint;
  /** Stop before this step (e.g. to checkpoint); the schedule still spans `steps`. */
  stopAt?: number;
}

export interface TrainFullResult {
  losses: number[];
  position: DataPosition;
  /** Everything needed to resume at the step after the last one run (the weights included). */
  checkpoint: FullTrainingCheckpoint;
}

export function trainFull(model: FullTrainableModel, tok: Tokenizer, records: TrainingRecord[], o: TrainFullOptions): TrainFullResult {
  const tokenized: TokenizedRecord[] = records.map((r) => tokenizeRecord(tok, r, o.eosId)).filter((r) => r.weights.slice(1).some((w) => w > 0));
  if (tokenized.length === 0) throw new Error('no record has a token to train on');
  const order = new DataOrder(tokenized.length, o.seed, o.resume?.position);
  if (o.resume) {
    model.setParameters(Object.fromEntries(Object.entries(o.resume.parameters).map(([k, t]) => [k, t.data])));
    model.setOptimizerState(o.resume.optimizer);
  }
  const { losses, step } = runTrainingSteps(model, tokenized, order, o.resume?.step ?? 0, o);
  const position = order.position();
  return { losses, position, checkpoint: { step, position, parameters: model.getParameters(), optimizer: model.getOptimizerState() } };
}
