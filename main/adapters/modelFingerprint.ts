import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { AdapterBase } from '../api/adaptersSchemas';
import { readModelConfig } from '../engine/modelConfig';

/**
 * What identifies a base checkpoint: the sha256 of its config.json and every weights file
 * (safetensors shards and their index). Two folders with equal digests hold the same model
 * wherever they are; the tokenizer is left out on purpose, since a re-saved tokenizer.json
 * (whitespace, key order) does not change what an adapter was trained against.
 */
export async function modelFingerprint(dir: string): Promise<AdapterBase> {
  const names = readdirSync(dir)
    .filter((f) => f === 'config.json' || f.endsWith('.safetensors') || f === 'model.safetensors.index.json')
    .sort();
  if (!existsSync(join(dir, 'config.json'))) throw new Error(`${dir}: no config.json, not a model folder`);
  const files: Record<string, string> = {};
  for (const f of names) files[f] = await sha256File(join(dir, f));
  return { path: dir, arch: readModelConfig(dir).arch, digest: digestOf(files), files };
}

export function digestOf(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const name of Object.keys(files).sort()) h.update(`${name}\0${files[name]}\n`);
  return h.digest('hex');
}

export async function sha256File(path: string): Promise<string> {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}
