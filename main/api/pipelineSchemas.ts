import { z } from 'zod';
import { DeviceChoiceSchema } from './schemas';
import { PublicationSchema } from './chainSchemas';

// The Factory's pipeline file (`*.pipeline.yaml`): one section per node of the graph the
// workbench draws (datanet -> split -> format -> model -> lora -> train -> evaluate -> adapter ->
// publish). The graph and the file are two views of this one object; `studio train --config`
// and `factory.start` take the same text. The chain's order is fixed by the node kinds, so a
// file cannot describe a cycle: edges are implied, never written.
//
// Every section is strict: an unknown field is refused with its path (`train.stpes`). Checks
// that need the model or the workspace (sequence length, targets, chat template, datanet schema)
// are in main/factory/validatePipeline.ts and report in the same {node, field, message} shape.

export const PIPELINE_NODES = ['datanet', 'split', 'format', 'model', 'lora', 'train', 'evaluate', 'adapter', 'publish'] as const;
export const PipelineNodeSchema = z.enum(PIPELINE_NODES);
export type PipelineNode = z.infer<typeof PipelineNodeSchema>;

const DatanetNodeSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a datanet name: lowercase letters, digits, ".", "_" or "-", starting with a letter or digit').describe('The datanet to train on'),
    version: z.number().int().min(1).optional().describe('A frozen version; absent: the latest version when the run starts (the run records which)'),
  })
  .strict()
  .describe('Datanet version: the records the run trains and evaluates on');

const SplitNodeSchema = z
  .object({
    evalFraction: z.number().min(0).max(0.5).default(0.1).describe('Share of the records held out for evaluation (0 turns evaluation data off)'),
    by: z.enum(['random', 'contributor']).default('random').describe("'random': records drawn at random; 'contributor': whole contributors held out, so eval measures unseen authors"),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0).describe('Seed of the draw: the same seed gives the same split'),
  })
  .strict()
  .describe('Train/eval split');

/** The instruction template's placeholders: {prompt} is required, the response follows it. */
export const DEFAULT_INSTRUCTION_TEMPLATE = '### Instruction:\n{prompt}\n\n### Response:\n';

const FormatNodeSchema = z
  .object({
    kind: z.enum(['text', 'instruction', 'chat']).default('text').describe("'text': plain text; 'instruction': prompt/response through `template`; 'chat': the model's chat template"),
    template: z.string().min(1).max(4000).optional().describe('Instruction template with a {prompt} placeholder; the response is appended after it'),
    responseOnlyLoss: z.boolean().default(true).describe('Instruction and chat: train on the response tokens only (the prompt is masked out of the loss)'),
  })
  .strict()
  .describe('How records become training text');

const ModelNodeSchema = z
  .object({
    base: z.string().min(1).max(4096).default('default').describe("'default' (the built-in model) or a local Hugging Face folder (config.json, *.safetensors, tokenizer.json); relative paths are relative to the pipeline file"),
  })
  .strict()
  .describe('Base model');

const LoraNodeSchema = z
  .object({
    targets: z.array(z.string().min(1).max(64)).min(1).max(64).optional().describe('Modules to adapt: llama q, k, v, o, gate, up, down; gpt2 c_attn, c_proj, c_fc. Default q,v (c_attn)'),
    rank: z.number().int().min(1).max(4096).default(8),
    alpha: z.number().positive().max(1e6).default(16),
    dropout: z.number().min(0).max(0.9).default(0),
    rslora: z.boolean().default(false).describe('Rank-stabilised scaling alpha/sqrt(rank) instead of alpha/rank'),
  })
  .strict()
  .describe('LoRA settings');

const TrainNodeSchema = z
  .object({
    lr: z.number().positive().max(10).default(2e-4).describe('Peak learning rate'),
    steps: z.number().int().min(1).max(10_000_000).optional().describe('Optimizer steps (give steps or epochs)'),
    epochs: z.number().positive().max(10_000).optional().describe('Passes over the training split, rounded up to whole steps (give steps or epochs)'),
    batch: z.number().int().min(1).max(4096).default(4),
    seq: z.number().int().min(8).max(1 << 20).default(256).describe('Tokens per row; longer records are truncated'),
    accumulation: z.number().int().min(1).max(4096).default(1).describe('Micro-batches per optimizer step'),
    warmup: z.number().int().min(0).max(10_000_000).default(0).describe('Warmup steps'),
    schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
    weightDecay: z.number().min(0).max(10).default(0),
    maxGradNorm: z.number().min(0).max(1e6).default(1).describe('Global gradient-norm clip; 0 turns clipping off'),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    evalEvery: z.number().int().min(1).max(10_000_000).optional().describe('Steps between evaluations (eval loss and samples); default: at the end only'),
    checkpointEvery: z.number().int().min(1).max(10_000_000).default(50).describe('Steps between checkpoints a resume continues from'),
    threads: z.number().int().min(1).max(1024).optional().describe('CPU threads; default: all hardware threads'),
    device: DeviceChoiceSchema.optional().describe("'auto', 'cpu' or 'cuda'; default: the workspace's engine.device setting"),
  })
  .strict()
  .describe('Training hyperparameters');

const EvaluateNodeSchema = z
  .object({
    evalLoss: z.boolean().default(true).describe('Mean loss on the eval split (perplexity is its exponential)'),
    prompts: z.array(z.string().min(1).max(4000)).max(16).default([]).describe('Fixed prompts generated from at each evaluation (greedy), to see what changes'),
    maxTokens: z.number().int().min(1).max(512).default(32).describe('Tokens generated per prompt'),
  })
  .strict()
  .describe('Evaluation');

const AdapterNodeSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit').describe("The adapter's name in the registry (a suffix is added when taken)"),
  })
  .strict()
  .describe('The adapter the run produces');

const PublishNodeSchema = z
  .object({
    enabled: z.boolean().default(false).describe('Register the adapter (and its base model when needed) in the ModelRegistry when the run completes'),
  })
  .strict()
  .describe('Publishing');

/** Where the workbench draws each node; the CLI ignores it. */
const LayoutSchema = z.record(PipelineNodeSchema, z.object({ x: z.number(), y: z.number() }).strict()).describe('Node positions in the graph editor');

export const PipelineSchema = z
  .object({
    pipeline: z.literal(1).describe('Pipeline file format version'),
    name: z.string().min(1).max(120).optional().describe('Shown in the run list'),
    datanet: DatanetNodeSchema,
    split: SplitNodeSchema.default({ evalFraction: 0.1, by: 'random', seed: 0 }),
    format: FormatNodeSchema.default({ kind: 'text', responseOnlyLoss: true }),
    model: ModelNodeSchema.default({ base: 'default' }),
    lora: LoraNodeSchema.default({ rank: 8, alpha: 16, dropout: 0, rslora: false }),
    train: TrainNodeSchema,
    evaluate: EvaluateNodeSchema.default({ evalLoss: true, prompts: [], maxTokens: 32 }),
    adapter: AdapterNodeSchema,
    publish: PublishNodeSchema.default({ enabled: false }),
    layout: LayoutSchema.optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    if ((p.train.steps === undefined) === (p.train.epochs === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['train', 'steps'], message: 'give exactly one of steps and epochs' });
    }
    if (p.format.template !== undefined && !p.format.template.includes('{prompt}')) {
      ctx.addIssue({ code: 'custom', path: ['format', 'template'], message: 'the template needs a {prompt} placeholder' });
    }
    if (p.format.template !== undefined && p.format.kind !== 'instruction') {
      ctx.addIssue({ code: 'custom', path: ['format', 'template'], message: "a template applies to kind 'instruction' only" });
    }
    if (p.train.warmup > 0 && p.train.steps !== undefined && p.train.warmup >= p.train.steps) {
      ctx.addIssue({ code: 'custom', path: ['train', 'warmup'], message: `warmup (${p.train.warmup}) must be shorter than the run (${p.train.steps} steps)` });
    }
  });
export type Pipeline = z.output<typeof PipelineSchema>;
export type PipelineInput = z.input<typeof PipelineSchema>;

/** For Monaco's YAML diagnostics (monaco-yaml takes a JSON Schema). */
export const pipelineJsonSchema = z.toJSONSchema(PipelineSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;

/** One problem, on the node it belongs to: the graph marks that node, the CLI prints it. */
export const PipelineErrorSchema = z.object({
  /** 'pipeline' for the file as a whole (YAML syntax, the version, an unknown top-level key). */
  node: z.union([PipelineNodeSchema, z.literal('pipeline')]),
  /** The field's path inside the node ('evalFraction', 'targets.1'); '' for the node itself. */
  field: z.string(),
  message: z.string(),
  /** 1-based line in the YAML text, when the field (or its node) is written there. */
  line: z.number().int().optional(),
});
export type PipelineError = z.infer<typeof PipelineErrorSchema>;

const PipelineYamlSchema = z.string().max(256 * 1024);

export const FactoryValidateParamsSchema = z
  .object({
    yaml: PipelineYamlSchema,
    /** The file's folder, for a relative `model.base`; default: the core's working folder. */
    baseDir: z.string().min(1).max(4096).optional(),
  })
  .strict();
export const FactoryValidateResultSchema = z.object({
  /** The parsed pipeline with defaults filled in; null when any error was found. */
  pipeline: PipelineSchema.nullable(),
  errors: z.array(PipelineErrorSchema),
});
export type FactoryValidateResult = z.output<typeof FactoryValidateResultSchema>;

// Runs: a pipeline started as 'factory.run' jobs (main/factory/runsRepository.ts).

/** 'interrupted': the process ended mid-run (app closed, killed); resume continues from the last checkpoint. */
export const RunStatusSchema = z.enum(['queued', 'running', 'failed', 'cancelled', 'interrupted', 'completed']);
export type RunStatus = z.infer<typeof RunStatusSchema>;
export const RunIdSchema = z.string().regex(/^[a-z0-9-]{6,64}$/, 'a run id (as runs.list shows it)');

/** One optimizer step. */
export const MetricPointSchema = z.object({
  step: z.number().int(),
  loss: z.number().nullable(),
  lr: z.number(),
  gradNorm: z.number().nullable(),
  tokensPerSecond: z.number(),
  /** Resident memory of the training process, MiB. */
  memoryMB: z.number(),
  time: z.string(),
});
export type MetricPoint = z.infer<typeof MetricPointSchema>;

/** An evaluation (every train.evalEvery steps and at the end), and whether a checkpoint was written there. */
export const RunEvaluationSchema = z.object({
  step: z.number().int(),
  evalLoss: z.number().nullable(),
  perplexity: z.number().nullable(),
  samples: z.array(z.object({ prompt: z.string(), text: z.string() })),
  checkpoint: z.boolean(),
  time: z.string(),
});
export type RunEvaluation = z.infer<typeof RunEvaluationSchema>;

export const RunSummarySchema = z.object({
  id: RunIdSchema,
  name: z.string(),
  status: RunStatusSchema,
  /** Why a run failed, was cancelled or interrupted (the job's error), with what to do next. */
  reason: z.string().nullable(),
  configHash: z.string(),
  datanet: z.object({ name: z.string(), version: z.number().int(), merkleRoot: z.string() }),
  model: z.object({ dir: z.string(), digest: z.string() }),
  steps: z.number().int(),
  /** The last step stored in metrics (0 before the first). */
  step: z.number().int(),
  progress: z.number().nullable(),
  finalLoss: z.number().nullable(),
  evalLoss: z.number().nullable(),
  tokensPerSecond: z.number().nullable(),
  /** The registered adapter, once completed. */
  adapter: z.string().nullable(),
  runDir: z.string(),
  jobId: z.string().nullable(),
  createdAt: z.string(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

export const RunDetailSchema = RunSummarySchema.extend({
  pipelineYaml: z.string(),
  pipeline: PipelineSchema,
  metrics: z.array(MetricPointSchema),
  evaluations: z.array(RunEvaluationSchema),
  /** The adapter folder (PEFT layout) in the run folder, once completed. */
  adapterPath: z.string().nullable(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const RunsCompareSchema = z.object({
  runs: z.array(RunSummarySchema),
  /** Settings that differ between the runs: the path in the pipeline and each run's value. */
  differences: z.array(z.object({ path: z.string(), values: z.array(z.unknown()) })),
  /** Each run's last evaluation's samples, by prompt (prompts in the first run's order). */
  samples: z.array(z.object({ prompt: z.string(), texts: z.array(z.string().nullable()) })),
  /** Each run's loss curve, for the overlaid chart. */
  curves: z.array(z.object({ id: z.string(), steps: z.array(z.number()), loss: z.array(z.number().nullable()), evalSteps: z.array(z.number()), evalLoss: z.array(z.number().nullable()) })),
});
export type RunsCompare = z.infer<typeof RunsCompareSchema>;

/** The 'factory.metrics' event: new points of one run, batched (at most a few events a second). */
export const FactoryMetricsEventSchema = z.object({
  runId: z.string(),
  status: RunStatusSchema,
  points: z.array(MetricPointSchema),
  evaluations: z.array(RunEvaluationSchema),
});
export type FactoryMetricsEvent = z.infer<typeof FactoryMetricsEventSchema>;

/** What the device panel shows before a start. */
export const FactoryEstimateSchema = z.object({
  backend: z.object({ kind: z.enum(['cpu', 'cuda']), name: z.string(), threads: z.number().int().nullable(), memoryBytes: z.number().nullable() }),
  parameters: z.number().int(),
  trainableParameters: z.number().int(),
  bytes: z.object({ weights: z.number(), activations: z.number(), optimizer: z.number(), gradients: z.number(), total: z.number() }),
  available: z.number(),
  fits: z.boolean(),
  warning: z.string().nullable(),
  /** The largest batch that fits, when the asked one does not. */
  suggestedBatch: z.number().int().nullable(),
});
export type FactoryEstimate = z.infer<typeof FactoryEstimateSchema>;

export const FactoryStartParamsSchema = FactoryValidateParamsSchema;

/** The 'factory.run' job (main/jobs/kinds/factoryRun.ts): train, evaluate, register the adapter. */
export const FactoryRunParamsSchema = z.object({ runId: RunIdSchema, resume: z.boolean().default(false) }).strict();
export const FactoryRunResultSchema = z.object({
  runId: z.string(),
  /** The adapter's name in the registry. */
  adapter: z.string(),
  adapterPath: z.string(),
  steps: z.number().int(),
  resumedFromStep: z.number().int(),
  finalLoss: z.number().nullable(),
  evalLoss: z.number().nullable(),
  evalPerplexity: z.number().nullable(),
  tokensPerSecond: z.number(),
  trainSeconds: z.number(),
});
export type FactoryRunResult = z.infer<typeof FactoryRunResultSchema>;

/** What `adapters.publish` sent and the ids the ModelRegistry gave. */
export const AdapterPublishResultSchema = z.object({
  adapter: z.string(),
  /** The adapter's id in the ModelRegistry. */
  modelId: z.string(),
  baseModelId: z.string(),
  /** sha256 over the adapter's two files' hashes (as base models are identified). */
  filesHash: z.string(),
  /** The run's config hash (what decides its numbers). */
  configHash: z.string(),
  datanet: z.object({ name: z.string(), version: z.number().int(), merkleRoot: z.string(), onchainDatanetId: z.string(), onchainVersion: z.string() }),
  /** Every transaction this call sent, in order (the datanet version and base model only when not yet on chain). */
  publications: z.array(PublicationSchema),
});
export type AdapterPublishResult = z.infer<typeof AdapterPublishResultSchema>;

/** The format node's preview: the first records of the datanet version as the engine will train on them. */
export const FactoryFormatPreviewParamsSchema = FactoryValidateParamsSchema.extend({
  /** How many records (from the version's first, in record order). */
  limit: z.number().int().min(1).max(20).default(3),
}).strict();
export const FormatPreviewTokenSchema = z.object({
  id: z.number().int(),
  /** The token decoded on its own (a byte-level piece of a character may show as U+FFFD). */
  text: z.string(),
  /** The loss weight of predicting this token: 0 masked out (prompt, or the row's first token, which nothing predicts), 1 trained on. */
  weight: z.number(),
  special: z.boolean(),
});
export const FactoryFormatPreviewResultSchema = z.object({
  /** train.seq: a row holds seq + 1 tokens; what lies beyond is dropped. */
  seq: z.number().int(),
  records: z.array(
    z.object({
      sourceId: z.string(),
      contributor: z.string(),
      /** Which side of the split node the record falls on. */
      split: z.enum(['train', 'eval']),
      /** The formatted text before tokenizing: the masked head (prompt) and the trained rest. */
      prompt: z.string(),
      response: z.string(),
      /** The tokens a training row holds (at most seq + 1). */
      tokens: z.array(FormatPreviewTokenSchema),
      /** Tokens past the row's end, truncated away. */
      dropped: z.number().int(),
    }),
  ),
});
export type FactoryFormatPreview = z.output<typeof FactoryFormatPreviewResultSchema>;

// Pipeline files saved from the workbench: <workspace>/pipelines/NAME.pipeline.yaml, the text
// exactly as edited (comments and layout kept), runnable as `studio train --config PATH`.
export const PipelineFileNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'a pipeline file name: letters, digits, ".", "_" or "-", at most 100, starting with a letter or digit');
export const PipelineFileSchema = z.object({
  name: z.string(),
  /** The file's absolute path (what `studio train --config` takes). */
  path: z.string(),
  updatedAt: z.string(),
});
export type PipelineFile = z.infer<typeof PipelineFileSchema>;

const m = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

/** The Factory's methods (handlers in main/core/factoryHandlers.ts), spread into contract.ts. */
export const factoryMethods = {
  /** Schema, model and datanet checks of a pipeline's text; never throws for a bad pipeline:
   * every problem is in `errors`, on its node, with its line. */
  'factory.validate': m(FactoryValidateParamsSchema, FactoryValidateResultSchema),
  /** The pipeline's JSON Schema, for the YAML editor's diagnostics and completion. */
  'factory.schema': m(z.object({}).strict(), z.object({ jsonSchema: z.record(z.string(), z.unknown()) })),
  /** Validates, records the run and queues its 'factory.run' job; a bad pipeline fails with
   * PIPELINE_INVALID and details {errors} (the factory.validate shape). */
  'factory.start': m(FactoryStartParamsSchema, RunSummarySchema),
  /** The device panel: backend and a memory estimate for the pipeline (no run started). */
  'factory.estimate': m(FactoryValidateParamsSchema, FactoryEstimateSchema),
  'runs.list': m(z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(), z.array(RunSummarySchema)),
  /** One run with its metrics (every step), evaluations and samples. */
  'runs.get': m(z.object({ id: RunIdSchema }).strict(), RunDetailSchema),
  'runs.compare': m(z.object({ ids: z.array(RunIdSchema).min(2).max(4) }).strict(), RunsCompareSchema),
  'runs.cancel': m(z.object({ id: RunIdSchema }).strict(), RunSummarySchema),
  /** A new 'factory.run' job continuing from the run's last checkpoint (failed, cancelled or interrupted runs). */
  'runs.resume': m(z.object({ id: RunIdSchema }).strict(), RunSummarySchema),
  /** Registers a Factory run's adapter in the ModelRegistry with its lineage (base model files hash,
   * datanet version, training-config hash), publishing the datanet version and base model first
   * when this chain lacks them. Needs the devnet running. */
  /** The format node's live preview: records formatted and tokenized with the base model's
   * tokenizer exactly as a run trains on them, each token's loss weight (the response-only mask). */
  'factory.formatPreview': m(FactoryFormatPreviewParamsSchema, FactoryFormatPreviewResultSchema),
  /** The workspace's saved pipeline files, newest first. */
  'pipelines.list': m(z.object({}).strict(), z.array(PipelineFileSchema)),
  'pipelines.read': m(z.object({ name: PipelineFileNameSchema }).strict(), PipelineFileSchema.extend({ yaml: z.string() })),
  /** Writes the text as the named file (atomically); an existing file is replaced only with overwrite. */
  'pipelines.save': m(z.object({ name: PipelineFileNameSchema, yaml: PipelineYamlSchema, overwrite: z.boolean().default(false) }).strict(), PipelineFileSchema),
  'adapters.publish': m(z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an adapter name') }).strict(), AdapterPublishResultSchema),
} as const;
