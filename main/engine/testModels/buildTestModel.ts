// Writes a tiny Hugging Face model folder with seeded random weights: config.json,
// model.safetensors (or shards + index), tokenizer.json, tokenizer_config.json,
// generation_config.json. GPT-2 gets GPT-2's real BPE; the Llama family gets the
// SentencePiece-style test tokenizer, whose size sets vocab_size.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from '../modelConfig';
import type { FloatDtype } from '../safetensors/dtype';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import { writeShardedSafetensors } from '../safetensors/writeShardedSafetensors';
import { testModelSpec, type TestModelFamily } from './testModelSpecs';
import { hfConfigJson } from './hfConfigJson';
import { randomWeights } from './randomWeights';
import { buildGpt2TokenizerConfig, buildGpt2TokenizerJson } from './buildGpt2TokenizerJson';
import { buildSentencePieceTokenizerConfig, buildSentencePieceTokenizerJson } from './buildSentencePieceTokenizerJson';

export interface BuildTestModelOptions {
  family: TestModelFamily;
  dtype?: FloatDtype;
  seed?: number;
  /** Change sizes of the preset (vocabSize for the Llama family also sizes the tokenizer). */
  overrides?: Partial<ModelSpec>;
  /** Write shards of at most this many bytes with model.safetensors.index.json. */
  shardBytes?: number;
  /** 'metaspace' writes the newer SentencePiece tokenizer.json layout. */
  tokenizerLayout?: 'legacy' | 'metaspace';
}

export interface BuiltTestModel {
  dir: string;
  spec: ModelSpec;
  dtype: FloatDtype;
}

export function buildTestModel(dir: string, opts: BuildTestModelOptions): BuiltTestModel {
  const spec = testModelSpec(opts.family, opts.overrides);
  const dtype = opts.dtype ?? 'F32';
  mkdirSync(dir, { recursive: true });
  const isGpt2 = spec.arch === 'gpt2';
  const tokenizer = isGpt2 ? buildGpt2TokenizerJson() : buildSentencePieceTokenizerJson({ vocabSize: spec.vocabSize, layout: opts.tokenizerLayout });
  const tokenizerConfig = isGpt2 ? buildGpt2TokenizerConfig() : buildSentencePieceTokenizerConfig();
  const ids = isGpt2 ? { bos: 50256, eos: 50256 } : { bos: 1, eos: 2 };
  const json = (name: string, v: unknown) => writeFileSync(join(dir, name), `${JSON.stringify(v, null, 2)}\n`);
  json('config.json', hfConfigJson(spec, opts.family, dtype, ids));
  json('generation_config.json', { bos_token_id: ids.bos, eos_token_id: ids.eos });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tokenizer));
  json('tokenizer_config.json', tokenizerConfig);
  const weights = randomWeights(spec, opts.seed ?? 1234);
  if (opts.shardBytes) writeShardedSafetensors(dir, weights, opts.shardBytes, { dtype });
  else writeSafetensors(join(dir, 'model.safetensors'), weights, { dtype, metadata: { format: 'pt' } });
  return { dir, spec, dtype };
}
