// The optimizer steps both training modes share (LoRA and full): the seeded data order,
// accumulation normalised by the step's total trained-token weight (so it equals one big batch),
// and the LR schedule computed per step. Only what is trained, and so saved, differs.
import { learningRateAt, type LrSchedule } from './learningRateAt';
import { makeTrainBatch } from './makeTrainBatch';
import type { DataOrder, DataPosition } from './DataOrder';
import type { TokenizedRecord } from './tokenizeRecord';

/** The engine calls one step needs, whatever the model trains. */
export interface StepModel {
  forwardBackward(b: { tokens: Int32Array; targets: Int32Array; mask?: Float32Array; batch: number; seq: number; normalizer?: number }): { loss: number };
  optimizerStep(o: { lr: number; weightDecay?: number; maxGradNorm?: number }): { gradNorm: number };
}

export interface StepOptions {
  steps: number;
  batch: number;
  seq: number;
  /** Micro-batches per optimizer step. */
  accumulation?: number;
  schedule: Omit<LrSchedule, 'totalSteps'>;
  weightDecay?: number;
  maxGradNorm?: number;
  padId: number;
  onStep?: (s: { step: number; loss: number; lr: number; gradNorm: number; position: DataPosition }) => void;
  /** Stop before this step (e.g. to checkpoint); the schedule still spans `steps`. */
  stopAt?: number;
}

/** Runs steps `from` .. min(steps, stopAt)-1; returns their losses and the next step. */
export function runTrainingSteps(model: StepModel, tokenized: TokenizedRecord[], order: DataOrder, from: number, o: StepOptions): { losses: number[]; step: number } {
  const accumulation = o.accumulation ?? 1;
  const losses: number[] = [];
  const end = Math.min(o.steps, o.stopAt ?? o.steps);
  let step = from;
  for (; step < end; step++) {
    const micro = Array.from({ length: accumulation }, () => makeTrainBatch(Array.from({ length: o.batch }, () => tokenized[order.next()]!), o.seq, o.padId));
    const total = micro.reduce((s, b) => s + b.mask.reduce((a, w, i) => a + (b.targets[i]! >= 0 ? w : 0), 0), 0);
    let loss = 0;
    for (const b of micro) loss += model.forwardBackward({ ...b, normalizer: total }).loss;
    const lr = learningRateAt(step, { ...o.schedule, totalSteps: o.steps });
    const { gradNorm } = model.optimizerStep({ lr, weightDecay: o.weightDecay ?? 0, maxGradNorm: o.maxGradNorm ?? 0 });
    losses.push(loss);
    o.onStep?.({ step, loss, lr, gradNorm, position: order.position() });
  }
  return { losses, step };
}
