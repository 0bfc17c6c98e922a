// A training checkpoint that resumes exactly: the adapter in PEFT layout, the optimizer moments
// (optimizer.safetensors: "m.<peft name>", "v.<peft name>", flat f32), and trainer_state.json
// (optimizer step count, dropout counter, data position, next step). Written to a temporary
// folder swapped into place, so a crash at any point leaves a complete checkpoint.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '../modelConfig';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { savePeftAdapter, PEFT_PREFIX } from '../peft/savePeftAdapter';
import { loadPeftAdapter } from '../peft/loadPeftAdapter';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import { SafetensorsFile } from '../safetensors/SafetensorsFile';
import type { Tensor } from '../tensor';
import type { DataPosition } from './DataOrder';

/** The native engine's optimizer state (getOptimizerState / setOptimizerState). */
export interface OptimizerStateLike {
  step: number;
  dropoutCounter: number;
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

export interface TrainingCheckpoint {
  /** The next training step to run. */
  step: number;
  position: DataPosition;
  adapter: LoraAdapter;
  optimizer: OptimizerStateLike;
}

export function saveTrainingCheckpoint(dir: string, c: TrainingCheckpoint): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  savePeftAdapter(tmp, c.adapter);
  const moments = new Map<string, Tensor>();
  for (const [k, data] of Object.entries(c.optimizer.m)) moments.set(`m.${k}`, { shape: [data.length], data });
  for (const [k, data] of Object.entries(c.optimizer.v)) moments.set(`v.${k}`, { shape: [data.length], data });
  writeSafetensors(join(tmp, 'optimizer.safetensors'), moments);
  const state = { version: 1, step: c.step, position: c.position, optimizerStep: c.optimizer.step, dropoutCounter: c.optimizer.dropoutCounter };
  writeFileSync(join(tmp, 'trainer_state.json'), `${JSON.stringify(state, null, 2)}\n`);
  // Swap with two renames so some complete checkpoint exists at every instant: `dir`, or
  // `dir.old` during the gap between them (loadTrainingCheckpoint falls back to it).
  const old = `${dir}.old`;
  rmSync(old, { recursive: true, force: true });
  if (existsSync(dir)) renameSync(dir, old);
  renameSync(tmp, dir);
  rmSync(old, { recursive: true, force: true });
}

export function loadTrainingCheckpoint(checkpointDir: string, spec: ModelSpec): TrainingCheckpoint {
  // A crash between the two renames of saveTrainingCheckpoint leaves only `dir.old`.
  const dir = !existsSync(checkpointDir) && existsSync(`${checkpointDir}.old`) ? `${checkpointDir}.old` : checkpointDir;
  const statePath = join(dir, 'trainer_state.json');
  if (!existsSync(statePath)) throw new Error(`${dir}: no trainer_state.json, not a training checkpoint`);
  const state = JSON.parse(readFileSync(statePath, 'utf8')) as { version: number; step: number; position: DataPosition; optimizerStep: number; dropoutCounter: number };
  if (state.version !== 1) throw new Error(`${statePath}: unknown checkpoint version ${state.version}`);
  const adapter = loadPeftAdapter(dir, spec);
  const f = SafetensorsFile.open(join(dir, 'optimizer.safetensors'));
  const m: Record<string, Float32Array> = {};
  const v: Record<string, Float32Array> = {};
  for (const name of f.tensors.keys()) {
    const key = name.slice(2);
    if (!key.startsWith(PEFT_PREFIX)) throw new Error(`${f.path}: unexpected tensor "${name}"`);
    (name.startsWith('m.') ? m : v)[key] = f.readTensor(name).data;
  }
  return { step: state.step, position: state.position, adapter, optimizer: { step: state.optimizerStep, dropoutCounter: state.dropoutCounter, m, v } };
}
