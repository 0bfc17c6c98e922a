// `studio model export --format hf`: a Hugging Face folder holding the base model, optionally
// with a LoRA adapter merged in, in f32/f16/bf16. Config and tokenizer files are copied; the
// config's torch_dtype follows the written dtype. Written into a temporary folder renamed into
// place, so a crash never leaves a half-exported model.
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readModelConfig } from './modelConfig';
import { checkModelWeights } from './checkModelWeights';
import { openModelWeights } from './safetensors/openModelWeights';
import { writeSafetensors } from './safetensors/writeSafetensors';
import type { FloatDtype } from './safetensors/dtype';
import { mergeLoraAdapter } from './peft/mergeLoraAdapter';
import type { LoraAdapter } from './peft/LoraAdapter';

const TORCH_DTYPE: Record<FloatDtype, string> = { F32: 'float32', F16: 'float16', BF16: 'bfloat16' };
/** The files beside the weights that a consumer of an exported folder reads (tokenizer, generation defaults). */
export const HF_SIDE_FILES = ['tokenizer.json', 'tokenizer_config.json', 'generation_config.json', 'special_tokens_map.json'];

export interface ExportHfOptions {
  dtype: FloatDtype;
  adapter?: LoraAdapter;
}

export function exportHfModel(modelDir: string, outDir: string, opts: ExportHfOptions): void {
  const spec = readModelConfig(modelDir);
  const source = openModelWeights(modelDir);
  checkModelWeights(spec, source);
  let weights = source.loadAll();
  if (opts.adapter) weights = mergeLoraAdapter(weights, opts.adapter);
  const tmp = `${outDir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  const config = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as Record<string, unknown>;
  config['torch_dtype'] = TORCH_DTYPE[opts.dtype];
  writeFileSync(join(tmp, 'config.json'), `${JSON.stringify(config, null, 2)}\n`);
  for (const f of HF_SIDE_FILES) if (existsSync(join(modelDir, f))) copyFileSync(join(modelDir, f), join(tmp, f));
  writeSafetensors(join(tmp, 'model.safetensors'), weights, { dtype: opts.dtype, metadata: { format: 'pt' } });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(tmp, outDir);
}
