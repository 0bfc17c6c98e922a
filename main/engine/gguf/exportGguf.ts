// Exports a Hugging Face model folder (optionally with a LoRA adapter merged in) as a GGUF file
// llama.cpp loads: weights in f32 or f16 (1-D tensors stay f32), the hyper-parameters under the
// architecture's keys, and the tokenizer as tokenizer.ggml.*.
import { renameSync, writeFileSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { readModelConfig, type ModelSpec } from '../modelConfig';
import { openModelWeights } from '../safetensors/openModelWeights';
import { Tokenizer } from '../tokenizer/Tokenizer';
import { mergeLoraAdapter } from '../peft/mergeLoraAdapter';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { encodeGguf, type GgufValue } from './encodeGguf';
import { ggufArchOf, ggufTensorsForModel } from './ggufTensorsForModel';
import { ggufTokenizerMetadata } from './ggufTokenizerMetadata';

export interface ExportGgufOptions {
  dtype: 'F32' | 'F16';
  adapter?: LoraAdapter;
  name?: string;
}

export function ggufHparams(spec: ModelSpec): [string, GgufValue][] {
  const a = ggufArchOf(spec);
  const u32 = (value: number): GgufValue => ({ type: 'u32', value });
  const f32 = (value: number): GgufValue => ({ type: 'f32', value });
  const kv: [string, GgufValue][] = [
    [`${a}.context_length`, u32(spec.maxPositions)],
    [`${a}.embedding_length`, u32(spec.hiddenSize)],
    [`${a}.feed_forward_length`, u32(spec.intermediateSize)],
    [`${a}.block_count`, u32(spec.numLayers)],
    [`${a}.attention.head_count`, u32(spec.numHeads)],
  ];
  if (a === 'gpt2') return [...kv, [`${a}.attention.layer_norm_epsilon`, f32(spec.normEps)]];
  return [
    ...kv,
    [`${a}.attention.head_count_kv`, u32(spec.numKvHeads)],
    [`${a}.attention.key_length`, u32(spec.headDim)],
    [`${a}.attention.value_length`, u32(spec.headDim)],
    [`${a}.rope.dimension_count`, u32(spec.headDim)],
    [`${a}.rope.freq_base`, f32(spec.ropeTheta)],
    [`${a}.attention.layer_norm_rms_epsilon`, f32(spec.normEps)],
    [`${a}.vocab_size`, u32(spec.vocabSize)],
  ];
}

export function exportGguf(modelDir: string, outPath: string, opts: ExportGgufOptions): void {
  const spec = readModelConfig(modelDir);
  let weights = openModelWeights(modelDir).loadAll();
  if (opts.adapter) weights = mergeLoraAdapter(weights, opts.adapter);
  const tok = Tokenizer.fromModelDir(modelDir);
  const cfg = JSON.parse(readFileSync(join(modelDir, 'config.json'), 'utf8')) as { bos_token_id?: number; eos_token_id?: number | number[] };
  const eos = Array.isArray(cfg.eos_token_id) ? cfg.eos_token_id[0] : cfg.eos_token_id;
  const ids = { bos: cfg.bos_token_id ?? 0, eos: eos ?? 0 };
  const metadata: [string, GgufValue][] = [
    ['general.architecture', { type: 'string', value: ggufArchOf(spec) }],
    ['general.name', { type: 'string', value: opts.name ?? basename(modelDir) }],
    // llama.cpp's file types: 0 all f32, 1 mostly f16.
    ['general.file_type', { type: 'u32', value: opts.dtype === 'F32' ? 0 : 1 }],
    ...ggufHparams(spec),
    ...ggufTokenizerMetadata(tok, ids),
  ];
  const bytes = encodeGguf(metadata, ggufTensorsForModel(spec, weights, opts.dtype));
  const tmp = `${outPath}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, outPath);
}
