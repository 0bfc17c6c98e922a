// The model description the native engine takes (native/index.ts's NativeModelSpec): the
// normalised spec plus the safetensors files, after checking that the files hold every tensor
// the config implies. Shards come in index order of their file names.
import { readModelConfig, type ModelSpec } from './modelConfig';
import { openModelWeights } from './safetensors/openModelWeights';
import { checkModelWeights } from './checkModelWeights';

export function modelSpecWithFiles(dir: string): ModelSpec & { files: string[] } {
  const spec = readModelConfig(dir);
  const weights = openModelWeights(dir);
  checkModelWeights(spec, weights);
  return { ...spec, files: weights.files.map((f) => f.path) };
}
