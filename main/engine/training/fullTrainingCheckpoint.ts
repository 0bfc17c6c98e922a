// A full-parameter training checkpoint that resumes exactly: every weight in f32
// (model.safetensors, the model files' names and layouts), the AdamW moments
// (optimizer.safetensors: "m.<name>", "v.<name>", each in its parameter's shape) and
// trainer_state.json (optimizer step count, dropout counter, data position, next step).
// Every file is fsynced in a temporary folder, which is fsynced and swapped into place with two
// renames: some complete checkpoint exists at every instant, `dir` or `dir.old` between them.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import { SafetensorsFile } from '../safetensors/SafetensorsFile';
import type { Tensor } from '../tensor';
import type { DataPosition } from './DataOrder';
import type { OptimizerStateLike } from './trainingCheckpoint';
import { fsyncDir, writeFileSynced } from './durableFiles';

export interface FullTrainingCheckpoint {
  /** The next training step to run. */
  step: number;
  position: DataPosition;
  /** Every parameter by its tensor name, in the model files' layout. */
  parameters: Record<string, Tensor>;
  optimizer: OptimizerStateLike;
}

export function saveFullTrainingCheckpoint(dir: string, c: FullTrainingCheckpoint): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  // writeSafetensors writes a temporary file, fsyncs it and renames it into place
  writeSafetensors(join(tmp, 'model.safetensors'), c.parameters, { metadata: { format: 'pt' } });
  const moments = new Map<string, Tensor>();
  for (const [k, data] of Object.entries(c.optimizer.m)) moments.set(`m.${k}`, { shape: c.parameters[k]?.shape ?? [data.length], data });
  for (const [k, data] of Object.entries(c.optimizer.v)) moments.set(`v.${k}`, { shape: c.parameters[k]?.shape ?? [data.length], data });
  writeSafetensors(join(tmp, 'optimizer.safetensors'), moments);
  const state = { version: 1, mode: 'full', step: c.step, position: c.position, optimizerStep: c.optimizer.step, dropoutCounter: c.optimizer.dropoutCounter };
  writeFileSynced(join(tmp, 'trainer_state.json'), `${JSON.stringify(state, null, 2)}\n`);
  fsyncDir(tmp);
  const old = `${dir}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  fsyncDir(dirname(dir));
  rmSync(old, { recursive: true, force: true });
}

export function loadFullTrainingCheckpoint(checkpointDir: string): FullTrainingCheckpoint {
  const dir = !existsSync(checkpointDir) && existsSync(`${checkpointDir}.old`) ? `${checkpointDir}.old` : checkpointDir;
  const statePath = join(dir, 'trainer_state.json');
  if (!existsSync(statePath)) throw new Error(`${dir}: no trainer_state.json, not a training checkpoint`);
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { version: number; mode?: string; step: number; position: DataPosition; optimizerStep: number; dropoutCounter: number };
  if (state.version !== 1) throw new Error(`${statePath}: unknown checkpoint version ${state.version}`);
  if (state.mode !== 'full') throw new Error(`${statePath}: a LoRA checkpoint, not a full-parameter one`);
  const weights = SafetensorsFile.open(join(dir, 'model.safetensors'));
  const parameters: Record<string, Tensor> = {};
  for (const name of weights.tensors.keys()) parameters[name] = weights.readTensor(name);
  const f = SafetensorsFile.open(join(dir, 'optimizer.safetensors'));
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const name of f.tensors.keys()) {
    const key = name.slice(2);
    if (!(name.startsWith('m.') || name.startsWith('v.')) || !(key in parameters)) throw new Error(`${f.path}: unexpected tensor "${name}"`);
    (name.startsWith('m.') ? m : v)[key] = f.readTensor(name).data;
  }
  return { step: state.step, position: state.position, parameters, optimizer: { step: state.optimizerStep, dropoutCounter: state.dropoutCounter, m, v } };
}
