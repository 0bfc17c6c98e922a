// Reads a Hugging Face config.json and normalises it into the one spec both engines use (the
// native engine consumes this object verbatim, so its keys and meanings are a contract).
import { InputFileError, INPUT_LIMITS, inputExists, readJsonFile, shortenForMessage } from '../files/readInputFile';
import { join } from 'node:path';
import { z } from 'zod';

export interface RopeScalingLlama3 {
  type: 'llama3';
  factor: number;
  lowFreqFactor: number;
  highFreqFactor: number;
  originalMaxPositions: number;
}

export interface ModelSpec {
  arch: 'gpt2' | 'llama';
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  numKvHeads: number;
  headDim: number;
  /** MLP inner width (GPT-2: n_inner, default 4 * hidden). */
  intermediateSize: number;
  /** Longest sequence handled exactly (sliding-window models: their window). */
  maxPositions: number;
  /** LayerNorm eps for GPT-2, RMSNorm eps for the Llama family. */
  normEps: number;
  /** RoPE base; unused by GPT-2 (learned positions), reported as 0 there. */
  ropeTheta: number;
  ropeScaling: null | RopeScalingLlama3;
  tieWordEmbeddings: boolean;
  /** q, k, v projections carry a bias (Qwen2; Llama with attention_bias). GPT-2 has biases everywhere. */
  attentionBias: boolean;
}

export class ModelConfigError extends Error {
  override readonly name = 'ModelConfigError';
  constructor(
    readonly file: string,
    readonly field: string,
    readonly shortMessage: string,
  ) {
    super(`${shortenForMessage(file)}: ${field}: ${shortMessage}`);
  }
}

export const SUPPORTED_MODEL_TYPES = ['gpt2', 'llama', 'qwen2', 'mistral'] as const;

const ARCHITECTURE_TO_TYPE: Record<string, (typeof SUPPORTED_MODEL_TYPES)[number]> = {
  GPT2LMHeadModel: 'gpt2',
  GPT2Model: 'gpt2',
  LlamaForCausalLM: 'llama',
  Qwen2ForCausalLM: 'qwen2',
  MistralForCausalLM: 'mistral',
};

const posInt = z.number().int().positive();

const gpt2Schema = z.object({
  vocab_size: posInt,
  n_embd: posInt,
  n_layer: posInt,
  n_head: posInt,
  n_positions: posInt,
  n_inner: posInt.nullish(),
  layer_norm_epsilon: z.number().positive().default(1e-5),
  activation_function: z.literal(['gelu_new', 'gelu_pytorch_tanh']).default('gelu_new'),
  tie_word_embeddings: z.boolean().default(true),
  scale_attn_weights: z.literal(true).default(true),
  scale_attn_by_inverse_layer_idx: z.literal(false).default(false),
  reorder_and_upcast_attn: z.boolean().default(false),
});

const ropeScalingSchema = z.object({
  rope_type: z.string().optional(),
  type: z.string().optional(),
  factor: z.number().positive().optional(),
  low_freq_factor: z.number().positive().optional(),
  high_freq_factor: z.number().positive().optional(),
  original_max_position_embeddings: posInt.optional(),
  rope_theta: z.number().positive().optional(),
});

const llamaSchema = z.object({
  vocab_size: posInt,
  hidden_size: posInt,
  num_hidden_layers: posInt,
  num_attention_heads: posInt,
  num_key_value_heads: posInt.nullish(),
  head_dim: posInt.nullish(),
  intermediate_size: posInt,
  max_position_embeddings: posInt,
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().optional(),
  rope_scaling: ropeScalingSchema.nullish(),
  // transformers >= 5 moves rope_theta and the scaling into one `rope_parameters` object.
  rope_parameters: ropeScalingSchema.nullish(),
  tie_word_embeddings: z.boolean().optional(),
  attention_bias: z.boolean().optional(),
  mlp_bias: z.literal(false).default(false),
  sliding_window: posInt.nullish(),
  use_sliding_window: z.boolean().optional(),
  hidden_act: z.literal('silu').default('silu'),
});

export function readModelConfig(dir: string): ModelSpec {
  const file = join(dir, 'config.json');
  if (!inputExists(file)) throw new ModelConfigError(file, 'config.json', 'missing: a Hugging Face model folder needs config.json');
  let json: unknown;
  try {
    json = readJsonFile(file, INPUT_LIMITS.configJson);
  } catch (e) {
    throw new ModelConfigError(file, 'config.json', e instanceof InputFileError ? e.shortMessage : (e as Error).message);
  }
  return normalizeModelConfig(json, file);
}

/** `file` only labels errors. */
export function normalizeModelConfig(json: unknown, file = 'config.json'): ModelSpec {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new ModelConfigError(file, 'config.json', 'not a JSON object');
  const cfg = json as Record<string, unknown>;
  const modelType = resolveModelType(cfg, file);
  if (modelType === 'gpt2') return normalizeGpt2(parse(gpt2Schema, cfg, file));
  return normalizeLlama(parse(llamaSchema, cfg, file), modelType, file);
}

function resolveModelType(cfg: Record<string, unknown>, file: string): (typeof SUPPORTED_MODEL_TYPES)[number] {
  const mt = cfg['model_type'];
  if (typeof mt === 'string') {
    if ((SUPPORTED_MODEL_TYPES as readonly string[]).includes(mt)) return mt as (typeof SUPPORTED_MODEL_TYPES)[number];
    throw new ModelConfigError(file, 'model_type', `unknown architecture "${mt}" (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
  }
  const archs = cfg['architectures'];
  const first = Array.isArray(archs) ? archs[0] : undefined;
  if (typeof first === 'string' && ARCHITECTURE_TO_TYPE[first]) return ARCHITECTURE_TO_TYPE[first];
  throw new ModelConfigError(file, 'model_type', `missing, and architectures ${JSON.stringify(archs)} names no supported architecture (supported: ${SUPPORTED_MODEL_TYPES.join(', ')})`);
}

function parse<S extends z.ZodType>(schema: S, cfg: unknown, file: string): z.output<S> {
  const r = schema.safeParse(cfg);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  throw new ModelConfigError(file, issue.path.join('.') || 'config.json', issue.message);
}

function normalizeGpt2(c: z.output<typeof gpt2Schema>): ModelSpec {
  return {
    arch: 'gpt2',
    vocabSize: c.vocab_size,
    hiddenSize: c.n_embd,
    numLayers: c.n_layer,
    numHeads: c.n_head,
    numKvHeads: c.n_head,
    headDim: c.n_embd / c.n_head,
    intermediateSize: c.n_inner ?? 4 * c.n_embd,
    maxPositions: c.n_positions,
    normEps: c.layer_norm_epsilon,
    ropeTheta: 0,
    ropeScaling: null,
    tieWordEmbeddings: c.tie_word_embeddings,
    attentionBias: true,
  };
}

function normalizeLlama(c: z.output<typeof llamaSchema>, modelType: string, file: string): ModelSpec {
  const numKvHeads = c.num_key_value_heads ?? c.num_attention_heads;
  if (c.num_attention_heads % numKvHeads !== 0) {
    throw new ModelConfigError(file, 'num_key_value_heads', `${numKvHeads} does not divide num_attention_heads ${c.num_attention_heads}`);
  }
  const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) {
    throw new ModelConfigError(file, 'head_dim', `head dimension ${headDim} must be an even integer for RoPE`);
  }
  const rope = c.rope_parameters ?? c.rope_scaling ?? null;
  // Sliding-window attention (Mistral; Qwen2 when use_sliding_window) only differs from full
  // attention past the window, so the spec stays exact by not going past it.
  const windowed = modelType === 'mistral' || (modelType === 'qwen2' && c.use_sliding_window === true);
  const maxPositions = windowed && c.sliding_window ? Math.min(c.sliding_window, c.max_position_embeddings) : c.max_position_embeddings;
  const ropeTheta = c.rope_theta ?? c.rope_parameters?.rope_theta ?? 10000;
  return {
    arch: 'llama',
    vocabSize: c.vocab_size,
    hiddenSize: c.hidden_size,
    numLayers: c.num_hidden_layers,
    numHeads: c.num_attention_heads,
    numKvHeads,
    headDim,
    intermediateSize: c.intermediate_size,
    maxPositions,
    normEps: c.rms_norm_eps,
    ropeTheta,
    ropeScaling: normalizeRopeScaling(rope, c.rope_parameters ? 'rope_parameters' : 'rope_scaling', file),
    tieWordEmbeddings: c.tie_word_embeddings ?? false,
    // Qwen2 always has q/k/v biases (its config has no switch for it).
    attentionBias: modelType === 'qwen2' ? true : (c.attention_bias ?? false),
  };
}

function normalizeRopeScaling(r: z.output<typeof ropeScalingSchema> | null, field: string, file: string): ModelSpec['ropeScaling'] {
  if (!r) return null;
  const type = r.rope_type ?? r.type ?? 'default';
  if (type === 'default') return null;
  if (type !== 'llama3') throw new ModelConfigError(file, `${field}.rope_type`, `unsupported RoPE scaling "${type}" (supported: llama3)`);
  const need = (v: number | undefined, name: string): number => {
    if (v === undefined) throw new ModelConfigError(file, `${field}.${name}`, 'required for llama3 RoPE scaling');
    return v;
  };
  return {
    type: 'llama3',
    factor: need(r.factor, 'factor'),
    lowFreqFactor: need(r.low_freq_factor, 'low_freq_factor'),
    highFreqFactor: need(r.high_freq_factor, 'high_freq_factor'),
    originalMaxPositions: need(r.original_max_position_embeddings, 'original_max_position_embeddings'),
  };
}
