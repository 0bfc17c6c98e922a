// A model as the reference forward pass sees it: the normalised spec and float32 weights under
// their Hugging Face names. GPT-2 checkpoints come with and without the "transformer." prefix
// (GPT2LMHeadModel vs GPT2Model saves); names are stored with it.
import { readModelConfig, type ModelSpec } from '../modelConfig';
import { openModelWeights } from '../safetensors/openModelWeights';
import { checkModelWeights } from '../checkModelWeights';
import type { Tensor } from '../tensor';

export interface ReferenceModel {
  spec: ModelSpec;
  weights: Map<string, Tensor>;
}

export function loadReferenceModel(dir: string): ReferenceModel {
  const spec = readModelConfig(dir);
  const weights = openModelWeights(dir);
  checkModelWeights(spec, weights);
  return referenceModelFromWeights(spec, weights.loadAll());
}

export function referenceModelFromWeights(spec: ModelSpec, weights: Map<string, Tensor>): ReferenceModel {
  const out = new Map<string, Tensor>();
  for (const [name, t] of weights) {
    if (spec.arch === 'gpt2' && /^(h\.|wte\.|wpe\.|ln_f\.)/.test(name)) out.set(`transformer.${name}`, t);
    else out.set(name, t);
  }
  return { spec, weights: out };
}

/** The weight or a clear error naming it (a checkpoint missing a tensor is bad input). */
export function weightOf(model: ReferenceModel, name: string): Tensor {
  const t = model.weights.get(name);
  if (!t) throw new Error(`model weights lack tensor "${name}"`);
  return t;
}
