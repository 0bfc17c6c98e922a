// Opens the weights of a Hugging Face model folder: `model.safetensors`, or the shards listed by
// `model.safetensors.index.json` ({"metadata": {...}, "weight_map": {tensor: shard file}}).
// Every shard header is validated, and the index must agree with what the shards hold.
import { InputFileError, INPUT_LIMITS, inputExists, readJsonFile } from '../../files/readInputFile';
import { join, basename } from 'node:path';
import { SafetensorsError } from './SafetensorsError';
import { SafetensorsFile } from './SafetensorsFile';
import type { TensorEntry } from './parseSafetensorsHeader';
import type { Tensor } from '../tensor';

export const SINGLE_FILE = 'model.safetensors';
export const INDEX_FILE = 'model.safetensors.index.json';

export class ModelWeights {
  constructor(
    readonly files: SafetensorsFile[],
    private readonly byName: Map<string, SafetensorsFile>,
  ) {}

  names(): string[] {
    return [...this.byName.keys()];
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  entry(name: string): TensorEntry {
    return this.fileOf(name).entry(name);
  }

  get(name: string): Tensor {
    return this.fileOf(name).readTensor(name);
  }

  /** All tensors as float32 (fine for the small models tests and the reference use). */
  loadAll(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const name of this.names()) out.set(name, this.get(name));
    return out;
  }

  private fileOf(name: string): SafetensorsFile {
    const f = this.byName.get(name);
    if (!f) throw new SafetensorsError('missing_tensor', this.files.map((x) => x.path).join(', '), 'tensor not found in the model weights', name);
    return f;
  }
}

export function openModelWeights(dir: string): ModelWeights {
  const indexPath = join(dir, INDEX_FILE);
  if (inputExists(indexPath)) return openSharded(dir, indexPath);
  const single = join(dir, SINGLE_FILE);
  if (!inputExists(single)) {
    throw new SafetensorsError('index', dir, `no ${SINGLE_FILE} or ${INDEX_FILE} in the model folder`);
  }
  return openFiles([SafetensorsFile.open(single)]);
}

/** Weights from an explicit list of safetensors files (e.g. an adapter file). */
export function openFiles(files: SafetensorsFile[]): ModelWeights {
  const byName = new Map<string, SafetensorsFile>();
  for (const f of files) {
    for (const name of f.tensors.keys()) {
      const other = byName.get(name);
      if (other) throw new SafetensorsError('index', f.path, `tensor also present in ${other.path}`, name);
      byName.set(name, f);
    }
  }
  return new ModelWeights(files, byName);
}

function openSharded(dir: string, indexPath: string): ModelWeights {
  let index: unknown;
  try {
    index = readJsonFile(indexPath, INPUT_LIMITS.configJson);
  } catch (e) {
    throw new SafetensorsError('index', indexPath, e instanceof InputFileError ? e.shortMessage : (e as Error).message);
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (weightMap === null || typeof weightMap !== 'object' || Array.isArray(weightMap)) {
    throw new SafetensorsError('index', indexPath, 'missing "weight_map" object');
  }
  const shardNames = new Set<string>();
  for (const [tensor, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    // A shard name with a path separator could escape the model folder.
    if (typeof shard !== 'string' || shard !== basename(shard)) {
      throw new SafetensorsError('index', indexPath, `weight_map entry ${JSON.stringify(shard)} is not a file name`, tensor);
    }
    shardNames.add(shard);
  }
  const files = [...shardNames].sort().map((s) => {
    const p = join(dir, s);
    if (!inputExists(p)) throw new SafetensorsError('index', indexPath, `shard ${s} listed in the index is missing`);
    return SafetensorsFile.open(p);
  });
  const weights = openFiles(files);
  for (const [tensor, shard] of Object.entries(weightMap as Record<string, string>)) {
    const f = files.find((x) => basename(x.path) === shard)!;
    if (!f.tensors.has(tensor)) throw new SafetensorsError('index', indexPath, `index places the tensor in ${shard}, which does not hold it`, tensor);
  }
  for (const name of weights.names()) {
    if (!Object.hasOwn(weightMap, name)) throw new SafetensorsError('index', indexPath, 'tensor is in a shard but not in the index', name);
  }
  return weights;
}
