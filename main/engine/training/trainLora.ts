// A LoRA training loop over any engine with the native engine's training calls: seeded data
// order, gradient accumulation over micro-batches (normalised by the total trained-token weight
// so accumulation equals one big batch), an LR schedule computed here per step, and the adapter
// returned in PEFT form. Checkpointing and eval are left to the caller (position() and the
// engine's optimizer state give an exact resume point).
import type { ModelSpec } from '../modelConfig';
import type { Tokenizer } from '../tokenizer/Tokenizer';
import type { LoraAdapter, LoraPair } from '../peft/LoraAdapter';
import { PEFT_PREFIX } from '../peft/savePeftAdapter';
import { peftTensors } from '../peft/peftTensors';
import type { LrSchedule } from './learningRateAt';
import type { TrainingRecord } from './readTrainingRecords';
import { tokenizeRecord, type TokenizedRecord } from './tokenizeRecord';
import { runTrainingSteps } from './runTrainingSteps';
import { DataOrder, type DataPosition } from './DataOrder';
import type { OptimizerStateLike, TrainingCheckpoint } from './trainingCheckpoint';

/** The part of the native engine's model this loop drives. */
export interface TrainableModel {
  addLora(o: { targets: string[]; rank: number; alpha: number; rslora?: boolean; dropout?: number; seed?: number }): void;
  forwardBackward(b: { tokens: Int32Array; targets: Int32Array; mask?: Float32Array; batch: number; seq: number; normalizer?: number }): { loss: number; weight: number };
  optimizerStep(o: { lr: number; weightDecay?: number; maxGradNorm?: number }): { gradNorm: number; step: number };
  getLoraTensors(): Record<string, { shape: number[]; data: Float32Array }>;
  setLoraTensors(t: Record<string, Float32Array>): void;
  getOptimizerState(): OptimizerStateLike;
  setOptimizerState(s: OptimizerStateLike): void;
}

export interface TrainLoraOptions {
  targets: string[];
  rank: number;
  alpha: number;
  rslora?: boolean;
  dropout?: number;
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
  resume?: TrainingCheckpoint;
  /** Stop before this step (e.g. to checkpoint); the schedule still spans `steps`. */
  stopAt?: number;
}

export interface TrainLoraResult {
  losses: number[];
  adapter: LoraAdapter;
  position: DataPosition;
  /** Everything needed to resume at the step after the last one run. */
  checkpoint: TrainingCheckpoint;
}

export function trainLora(model: TrainableModel, spec: ModelSpec, tok: Tokenizer, records: TrainingRecord[], o: TrainLoraOptions): TrainLoraResult {
  const tokenized: TokenizedRecord[] = records.map((r) => tokenizeRecord(tok, r, o.eosId)).filter((r) => r.weights.slice(1).some((w) => w > 0));
  if (tokenized.length === 0) throw new Error('no record has a token to train on');
  model.addLora({ targets: o.targets, rank: o.rank, alpha: o.alpha, rslora: o.rslora, dropout: o.dropout, seed: o.seed });
  const order = new DataOrder(tokenized.length, o.seed, o.resume?.position);
  if (o.resume) {
    model.setLoraTensors(peftTensors(o.resume.adapter));
    model.setOptimizerState(o.resume.optimizer);
  }
  const { losses, step } = runTrainingSteps(model, tokenized, order, o.resume?.step ?? 0, o);
  const adapter = adapterFromPeftTensors(model.getLoraTensors(), spec, o);
  const position = order.position();
  return { losses, adapter, position, checkpoint: { step, position, adapter, optimizer: model.getOptimizerState() } };
}

/** Engine tensors under PEFT names -> an in-memory adapter. */
export function adapterFromPeftTensors(tensors: Record<string, { shape: number[]; data: Float32Array }>, spec: ModelSpec, o: Pick<TrainLoraOptions, 'targets' | 'rank' | 'alpha' | 'rslora' | 'dropout'>): LoraAdapter {
  const modules = new Map<string, LoraPair>();
  for (const [name, t] of Object.entries(tensors)) {
    const m = /^(.*)\.lora_([AB])\.weight$/.exec(name);
    if (!m || !m[1]!.startsWith(PEFT_PREFIX)) throw new Error(`engine returned a tensor "${name}" without a PEFT LoRA name`);
    const key = m[1]!.slice(PEFT_PREFIX.length);
    const pair = modules.get(key) ?? ({} as LoraPair);
    pair[m[2] as 'A' | 'B'] = { shape: [...t.shape], data: Float32Array.from(t.data) };
    modules.set(key, pair);
  }
  return {
    config: { r: o.rank, alpha: o.alpha, useRslora: o.rslora ?? false, targetModules: expandTargets(o.targets, spec), dropout: o.dropout ?? 0, fanInFanOut: spec.arch === 'gpt2', baseModelNameOrPath: null },
    modules,
  };
}

/** The engine accepts short forms (q, gate); PEFT's config lists module names (q_proj, gate_proj). */
function expandTargets(targets: string[], spec: ModelSpec): string[] {
  if (spec.arch === 'gpt2') return [...new Set(targets.map((t) => t.split('.').pop()!))];
  return [...new Set(targets.map((t) => (t.endsWith('_proj') ? t : `${t}_proj`)))];
}
