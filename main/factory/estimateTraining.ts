// The device panel's figures before a start: where the run would train and roughly how much
// memory it needs. Estimates, not measurements: f32 weights as the engine holds them, LoRA
// factors with AdamW's two moments and their gradients, and per-layer activations kept for
// backward (a handful of hidden-sized vectors per token plus the attention scores and logits).
import os from 'node:os';
import type { FactoryEstimate } from '../api/pipelineSchemas';
import type { ModelInspection } from '../engine/inspectModel';
import { loadNativeEngine } from '../engine/native/index';
import { nativeEngineInfo } from '../engine/native/nativeEngineInfo';
import type { ResolvedPipeline } from './validatePipeline';

const F32 = 4;

/** Input and output width of each adaptable module. */
function moduleShape(spec: ModelInspection['spec'], target: string): [number, number] {
  const h = spec.hiddenSize;
  const kv = spec.numKvHeads * spec.headDim;
  const short = spec.arch === 'gpt2' ? target.split('.').pop()! : target.replace(/_proj$/, '');
  const shapes: Record<string, [number, number]> = {
    q: [h, spec.numHeads * spec.headDim], k: [h, kv], v: [h, kv], o: [spec.numHeads * spec.headDim, h],
    gate: [h, spec.intermediateSize], up: [h, spec.intermediateSize], down: [spec.intermediateSize, h],
    c_attn: [h, 3 * h], c_proj: [h, h], c_fc: [h, spec.intermediateSize],
  };
  return shapes[short] ?? [h, h];
}

export function trainingBytes(r: Pick<ResolvedPipeline, 'model' | 'pipeline'>, batch: number): FactoryEstimate['bytes'] & { trainable: number } {
  const spec = r.model.spec;
  const targets = r.pipeline.lora.targets ?? (spec.arch === 'gpt2' ? ['c_attn'] : ['q', 'v']);
  const trainable = targets.reduce((s, t) => {
    const [i, o] = moduleShape(spec, t);
    return s + r.pipeline.lora.rank * (i + o) * spec.numLayers;
  }, 0);
  const tokens = batch * r.pipeline.train.seq;
  const perLayer = tokens * (12 * spec.hiddenSize + 3 * spec.intermediateSize) + batch * spec.numHeads * r.pipeline.train.seq * r.pipeline.train.seq;
  const activations = F32 * (perLayer * spec.numLayers + 2 * tokens * spec.vocabSize);
  const weights = F32 * r.model.parameterCount;
  const optimizer = 2 * F32 * trainable;
  const gradients = F32 * trainable;
  return { weights, activations, optimizer, gradients, total: weights + activations + optimizer + gradients, trainable };
}

export function estimateTraining(r: Pick<ResolvedPipeline, 'model' | 'pipeline'>): FactoryEstimate {
  const engine = loadNativeEngine();
  const device = engine.deviceStatus();
  const cuda = device.available && r.pipeline.train.device !== 'cpu';
  const info = nativeEngineInfo(engine);
  // The GPU's own memory is not reported by the engine yet: on CUDA the host's is the bound shown.
  const available = os.totalmem();
  const want = r.pipeline.train.batch;
  const bytes = trainingBytes(r, want);
  const budget = 0.8 * available;
  const fits = bytes.total <= budget;
  let suggestedBatch: number | null = null;
  if (!fits) for (let b = want - 1; b >= 1 && suggestedBatch === null; b--) if (trainingBytes(r, b).total <= budget) suggestedBatch = b;
  const gib = (n: number) => `${(n / 2 ** 30).toFixed(1)} GiB`;
  const { trainable, ...shown } = bytes;
  return {
    backend: cuda ? { kind: 'cuda', name: 'CUDA GPU', threads: null, memoryBytes: null } : { kind: 'cpu', name: `CPU (${info.simd})`, threads: r.pipeline.train.threads ?? info.threads, memoryBytes: available },
    parameters: r.model.parameterCount,
    trainableParameters: trainable,
    bytes: shown,
    available,
    fits,
    warning: fits ? null : `about ${gib(bytes.total)} needed, ${gib(budget)} usable: ${suggestedBatch ? `batch ${suggestedBatch} fits (keep the effective batch with train.accumulation)` : 'shorten train.seq or use a smaller model'}`,
    suggestedBatch,
  };
}
