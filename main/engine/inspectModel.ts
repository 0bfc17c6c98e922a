// What `studio model inspect DIR --json` prints: architecture, sizes, weight dtype and files,
// tokenizer kind and whether a chat template is present. Reads headers only, never weights.
import { INPUT_LIMITS, inputExists, readJsonFile } from '../files/readInputFile';
import { checkModelWeights } from './checkModelWeights';
import { basename, join } from 'node:path';
import { readModelConfig, type ModelSpec } from './modelConfig';
import { openModelWeights } from './safetensors/openModelWeights';
import { numel } from './tensor';
import { Tokenizer, type TokenizerKind } from './tokenizer/Tokenizer';
import { chatTemplateOf, readTokenizerConfig } from './tokenizer/renderChatTemplate';

export interface ModelInspection {
  dir: string;
  /** model_type from config.json (gpt2, llama, qwen2, mistral). */
  modelType: string;
  spec: ModelSpec;
  parameterCount: number;
  /** The dtype holding most parameters, or 'mixed' when no dtype holds them all. */
  dtype: string;
  dtypes: Record<string, number>;
  shards: string[];
  tokenizer: null | { kind: TokenizerKind; vocabSize: number; bosToken: string | null; eosToken: string | null; chatTemplate: boolean };
}

export function inspectModel(dir: string): ModelInspection {
  const spec = readModelConfig(dir);
  const modelType = (readJsonFile(join(dir, 'config.json'), INPUT_LIMITS.configJson) as { model_type?: string }).model_type ?? spec.arch;
  const weights = openModelWeights(dir);
  // The same check generate and train make: a config that contradicts the weights (hidden_size,
  // vocab_size, a missing tensor) is not a usable model, whatever the headers say.
  checkModelWeights(spec, weights);
  const dtypes: Record<string, number> = {};
  let parameterCount = 0;
  for (const name of weights.names()) {
    const e = weights.entry(name);
    const n = numel(e.shape);
    parameterCount += n;
    dtypes[e.dtype] = (dtypes[e.dtype] ?? 0) + n;
  }
  const kinds = Object.keys(dtypes);
  let tokenizer: ModelInspection['tokenizer'] = null;
  if (inputExists(join(dir, 'tokenizer.json'))) {
    const t = Tokenizer.fromModelDir(dir);
    const cfg = readTokenizerConfig(dir);
    const tokenText = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'object' && v && 'content' in v ? String(v.content) : null);
    tokenizer = { kind: t.kind, vocabSize: t.vocabSize, bosToken: tokenText(cfg?.bos_token), eosToken: tokenText(cfg?.eos_token), chatTemplate: chatTemplateOf(cfg) !== null };
  }
  return {
    dir,
    modelType,
    spec,
    parameterCount,
    dtype: kinds.length === 1 ? kinds[0]! : 'mixed',
    dtypes,
    shards: weights.files.map((f) => basename(f.path)),
    tokenizer,
  };
}
