// Checks that a model folder's safetensors hold every tensor its config.json implies, with the
// implied shape and a float dtype. Extra tensors (old causal-mask buffers, rotary inv_freq) are
// ignored. GPT-2 checkpoints saved from GPT2Model lack the "transformer." prefix: accepted.
import type { ModelSpec } from './modelConfig';
import { modelTensorShapes } from './modelTensorShapes';
import type { ModelWeights } from './safetensors/openModelWeights';
import { SafetensorsError } from './safetensors/SafetensorsError';

/** The checkpoint's name for a canonical tensor name, or undefined when absent. */
export function checkpointNameOf(weights: Pick<ModelWeights, 'has'>, name: string): string | undefined {
  if (weights.has(name)) return name;
  const bare = name.replace(/^transformer\./, '');
  return bare !== name && weights.has(bare) ? bare : undefined;
}

export function checkModelWeights(spec: ModelSpec, weights: ModelWeights): void {
  const files = weights.files.map((f) => f.path).join(', ');
  for (const [name, shape] of modelTensorShapes(spec)) {
    const actual = checkpointNameOf(weights, name);
    if (actual === undefined) throw new SafetensorsError('missing_tensor', files, `config.json requires this tensor, shape ${JSON.stringify(shape)}`, name);
    const e = weights.entry(actual);
    const file = weights.files.find((f) => f.tensors.get(actual) === e)?.path ?? files;
    if (e.shape.length !== shape.length || e.shape.some((d, i) => d !== shape[i])) {
      throw new SafetensorsError('shape', file, `shape ${JSON.stringify(e.shape)} does not match ${JSON.stringify(shape)} implied by config.json`, actual);
    }
    if (!['F32', 'F16', 'BF16'].includes(e.dtype)) throw new SafetensorsError('dtype', file, `dtype ${e.dtype} is not a float type the engine loads (F32, F16, BF16)`, actual);
  }
}
