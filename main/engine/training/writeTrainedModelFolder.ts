// The end of a full-parameter run: a Hugging Face model folder (config.json, model.safetensors in
// f32, the tokenizer and generation files of the model it started from) that appears at `out`
// whole or not at all: written and fsynced in a temporary sibling folder, then renamed.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { HF_SIDE_FILES } from '../exportHfModel';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import type { Tensor } from '../tensor';
import { fsyncDir, writeFileSynced } from './durableFiles';

/** Side files of the tokenizers that keep their vocabulary outside tokenizer.json. */
const EXTRA_TOKENIZER_FILES = ['vocab.json', 'merges.txt', 'tokenizer.model'];

export function writeTrainedModelFolder(sourceDir: string, out: string, parameters: Record<string, Tensor>): void {
  if (existsSync(out)) throw new Error(`out: ${out} already exists; give a new folder for the model`);
  const tmp = join(dirname(out), `.${basename(out)}.tmp-${process.pid}-${Date.now()}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    const config = JSON.parse(readFileSync(join(sourceDir, 'config.json'), 'utf8')) as Record<string, unknown>;
    config['torch_dtype'] = 'float32';
    writeFileSynced(join(tmp, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
    for (const f of [...HF_SIDE_FILES, ...EXTRA_TOKENIZER_FILES]) {
      if (!existsSync(join(sourceDir, f))) continue;
      writeFileSynced(join(tmp, f), readFileSync(join(sourceDir, f)));
    }
    writeSafetensors(join(tmp, 'model.safetensors'), parameters, { metadata: { format: 'pt' } });
    fsyncDir(tmp);
    renameSync(tmp, out);
    fsyncDir(dirname(out));
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`out: could not write the trained model to ${out} (${(err as Error).message})`);
  }
}
