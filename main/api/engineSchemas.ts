import { z } from 'zod';
import { DeviceChoiceSchema } from './schemas';

/**
 * The engine's part of the API contract: what `engine.inspect` returns and what an
 * `engine.train` job takes. The CLI's `studio train --config FILE` validates the same schema,
 * so a file, the flags and the UI all fail with the same field-naming messages.
 */

export const ModelSpecSchema = z.object({
  arch: z.enum(['gpt2', 'llama']),
  vocabSize: z.number().int(),
  hiddenSize: z.number().int(),
  numLayers: z.number().int(),
  numHeads: z.number().int(),
  numKvHeads: z.number().int(),
  headDim: z.number().int(),
  intermediateSize: z.number().int(),
  maxPositions: z.number().int(),
  normEps: z.number(),
  ropeTheta: z.number(),
  ropeScaling: z
    .object({ type: z.literal('llama3'), factor: z.number(), lowFreqFactor: z.number(), highFreqFactor: z.number(), originalMaxPositions: z.number() })
    .nullable(),
  tieWordEmbeddings: z.boolean(),
  attentionBias: z.boolean(),
});

export const ModelInspectionSchema = z.object({
  dir: z.string(),
  /** config.json's model_type (gpt2, llama, qwen2, mistral). */
  modelType: z.string(),
  spec: ModelSpecSchema,
  parameterCount: z.number().int(),
  /** The dtype of every weight, or 'mixed'. */
  dtype: z.string(),
  /** Parameters per dtype. */
  dtypes: z.record(z.string(), z.number()),
  shards: z.array(z.string()),
  tokenizer: z
    .object({ kind: z.string(), vocabSize: z.number().int(), bosToken: z.string().nullable(), eosToken: z.string().nullable(), chatTemplate: z.boolean() })
    .nullable(),
});
export type ModelInspectionData = z.infer<typeof ModelInspectionSchema>;

const count = (max: number) => z.number().int().min(1).max(max);

/**
 * One training run (a LoRA adapter, or with mode 'full' every weight). Paths are absolute (the CLI resolves them; a config file's relative
 * paths are relative to the file). Defaults follow common LoRA practice.
 */
export const EngineTrainParamsSchema = z
  .object({
    model: z.string().min(1).describe('Hugging Face model folder: config.json, *.safetensors, tokenizer.json'),
    data: z.string().min(1).describe('JSONL training records: {"text"} or {"prompt", "response"} (loss on the response only)'),
    eval: z.string().min(1).optional().describe('JSONL held-out records, same format: eval loss and perplexity at the end'),
    out: z.string().min(1).describe('Folder the adapter is written to in PEFT layout (mode full: the trained model, Hugging Face layout); must not exist yet'),
    rank: count(4096).default(8),
    alpha: z.number().positive().default(16),
    /** Short module names: llama q, k, v, o, gate, up, down (or q_proj ...); gpt2 c_attn, c_proj, c_fc. Default: q,v / c_attn. */
    targets: z.array(z.string().min(1).max(64)).min(1).max(64).optional(),
    dropout: z.number().min(0).max(0.9).default(0),
    rslora: z.boolean().default(false),
    steps: count(10_000_000),
    lr: z.number().positive().max(10).default(2e-4),
    schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
    warmup: z.number().int().min(0).default(0).describe('Warmup steps'),
    batch: count(4096).default(4),
    seq: count(1 << 20).default(256).describe('Tokens per row; longer records are truncated'),
    accumulation: count(4096).default(1).describe('Micro-batches per optimizer step'),
    weightDecay: z.number().min(0).max(10).default(0),
    maxGradNorm: z.number().min(0).default(1).describe('Global gradient-norm clip; 0 turns clipping off'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    checkpointEvery: count(10_000_000).default(50).describe('Steps between checkpoints in the run folder'),
    threads: count(1024).optional().describe('CPU threads; default: all hardware threads'),
    device: DeviceChoiceSchema.optional().describe("Where to train: 'auto' (a CUDA GPU when available, else the CPU), 'cpu' or 'cuda'; default: the workspace's engine.device setting"),
    mode: z.enum(['lora', 'full']).optional().describe("'lora' (default): train a LoRA adapter; 'full': train every weight (CPU only) and write a whole Hugging Face model folder to out"),
    gradientCheckpointing: z.boolean().optional().describe('Full mode: keep only each layer\'s input and recompute the layer in backward (less memory, same results)'),
    /** A run folder (or its name under the workspace's runs/) to continue from its last checkpoint, exactly. */
    resume: z.string().min(1).optional(),
    /** The datanet version `data` was written from (studio train --datanet), kept in run.json. */
    datanet: z.object({ name: z.string(), version: z.number().int(), merkleRoot: z.string(), records: z.number().int() }).strict().optional(),
  })
  .strict();
export type EngineTrainParams = z.infer<typeof EngineTrainParamsSchema>;
export type EngineTrainInput = z.input<typeof EngineTrainParamsSchema>;

/** What a finished 'engine.train' job records as its result (main/engine/training/runTraining.ts). */
export const TrainingRunSummarySchema = z.object({
  runDir: z.string(),
  /** The adapter folder (PEFT layout). */
  adapter: z.string(),
  model: z.string(),
  arch: ModelSpecSchema.shape.arch,
  targets: z.array(z.string()),
  steps: z.number().int(),
  /** The step this process started at (0, or the checkpoint's step when resumed). */
  resumedFromStep: z.number().int(),
  firstLoss: z.number().nullable(),
  finalLoss: z.number().nullable(),
  /** Loss of each step run by this process. */
  losses: z.array(z.number()),
  records: z.number().int(),
  tokensPerSecond: z.number(),
  trainSeconds: z.number(),
  evalLoss: z.number().nullable(),
  evalPerplexity: z.number().nullable(),
  evalTokens: z.number().int().nullable(),
  loraParameters: z.number().int(),
  threads: z.number().int(),
  kernel: z.string(),
  device: z.object({ kind: z.enum(['cpu', 'cuda']), name: z.string().optional(), fallbackReason: z.string().optional() }),
  /** The adapter's name in the workspace's registry (main/adapters), set when the job commits. */
  registeredAs: z.string().optional(),
});
