import { z } from 'zod';
import { ArtifactSchema, ArtifactsImportParamsSchema } from './schemas';
import { DatanetDemoParamsSchema, DatanetDemoResultSchema, DatanetImportParamsSchema, DatanetImportResultSchema, DatanetSignalsParamsSchema, DatanetSignalsResultSchema } from './datanetSchemas';
import { EngineTrainParamsSchema, TrainingRunSummarySchema } from './engineSchemas';
import { AttributionIndexParamsSchema, AttributionIndexResultSchema } from './attributionSchemas';
import { AdapterRecordSchema, AdaptersImportParamsSchema, AdaptersMergeParamsSchema } from './adaptersSchemas';
import { AttributionGradientsParamsSchema, AttributionGradientsResultSchema } from './attributionGradientSchemas';
import { FactoryRunParamsSchema, FactoryRunResultSchema } from './pipelineSchemas';
import { DemoAttributeParamsSchema, DemoAttributeResultSchema, DemoRegisterModelResultSchema, DemoSettleParamsSchema, DemoSettleResultSchema } from './demoStorySchemas';

/**
 * Every job kind, listed once: kind -> the params `jobs.start` takes -> the result a finished job
 * records. `jobs.start` is checked per kind against this map, at compile time (MethodParams is a
 * union discriminated by `kind`) and at the boundary (the core parses the same union). The
 * implementations (main/jobs/jobKinds.ts) are typed from it, so a kind missing on either side fails
 * to compile. A domain adds its kinds here as it lands.
 */
export const jobParams = {
  'artifacts.import': { params: ArtifactsImportParamsSchema, result: ArtifactSchema },
  /** Rehashes every recorded artifact; fails with ARTIFACTS_DAMAGED listing each bad one. */
  'artifacts.verify': { params: z.object({}).strict().default({}), result: z.object({ checked: z.number().int() }) },
  /** Training on the native engine (LoRA, or every weight) (see main/jobs/kinds/engineTrain.ts). */
  'engine.train': { params: EngineTrainParamsSchema, result: TrainingRunSummarySchema },
  /** A file or folder into a datanet: staged in the worker, committed in one transaction. */
  'datanet.import': { params: DatanetImportParamsSchema, result: DatanetImportResultSchema },
  /** Every record's quality signals again (a new near-duplicate threshold becomes the datanet's). */
  'datanet.signals': { params: DatanetSignalsParamsSchema, result: DatanetSignalsResultSchema },
  /** The first-start demo datanet (State of the Union addresses), built once (main/jobs/kinds/datanetDemo.ts). */
  'datanet.demo': { params: DatanetDemoParamsSchema, result: DatanetDemoResultSchema },
  /** A PEFT folder into the adapter registry, checked against its base (main/jobs/kinds/adaptersImport.ts). */
  'adapters.import': { params: AdaptersImportParamsSchema, result: AdapterRecordSchema },
  /** Weighted merge of registered adapters into a new registered one (main/jobs/kinds/adaptersMerge.ts). */
  'adapters.merge': { params: AdaptersMergeParamsSchema, result: AdapterRecordSchema },
  /** An adapter's training-record gradient store for attribution, once per adapter (main/jobs/kinds/attributionGradients.ts). */
  'attribution.gradients': { params: AttributionGradientsParamsSchema, result: AttributionGradientsResultSchema },
  /** A datanet version's exact-span index (suffix array) under a model's tokenizer, built or checked (main/jobs/kinds/attributionIndex.ts). */
  'attribution.index': { params: AttributionIndexParamsSchema, result: AttributionIndexResultSchema },
  /** A Factory run: a pipeline's training, evaluations and adapter (main/jobs/kinds/factoryRun.ts). */
  'factory.run': { params: FactoryRunParamsSchema, result: FactoryRunResultSchema },
  /** First start: the default model registered in the devnet's ModelRegistry with its files hash, on the core's thread (main/firstStart). */
  'demo.registerModel': { params: z.object({}).strict().default({}), result: DemoRegisterModelResultSchema },
  /** First start: the demo prompts answered by the demo adapter and attributed, on the core's thread (main/firstStart). */
  'demo.attribute': { params: DemoAttributeParamsSchema, result: DemoAttributeResultSchema },
  /** First start: the demo answers' epoch settled on the devnet, on the core's thread (main/firstStart). */
  'demo.settle': { params: DemoSettleParamsSchema, result: DemoSettleResultSchema },
} as const;

export type JobParamsMap = typeof jobParams;
export type JobKind = keyof JobParamsMap;
/** What a caller passes (defaults may be left out). */
export type JobParamsInput<K extends JobKind> = z.input<JobParamsMap[K]['params']>;
/** What a job kind receives: parsed, with defaults filled in. */
export type JobParams<K extends JobKind> = z.output<JobParamsMap[K]['params']>;
export type JobResult<K extends JobKind> = z.output<JobParamsMap[K]['result']>;

const jobKindNames = Object.keys(jobParams) as [JobKind, ...JobKind[]];
export const JobKindSchema = z.enum(jobKindNames);

/** `jobs.start`'s params: {kind, params} where params must match that kind's schema. */
export const JobStartParamsSchema = z.discriminatedUnion(
  'kind',
  jobKindNames.map((kind) => z.object({ kind: z.literal(kind), params: jobParams[kind].params }).strict()) as unknown as [JobStartVariant, ...JobStartVariant[]],
);
type JobStartVariant = { [K in JobKind]: z.ZodObject<{ kind: z.ZodLiteral<K>; params: JobParamsMap[K]['params'] }, z.core.$strict> }[JobKind];

export const JobStatusSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);
export type JobStatus = z.infer<typeof JobStatusSchema>;

export const JobSchema = z.object({
  id: z.string(),
  kind: JobKindSchema,
  title: z.string(),
  status: JobStatusSchema,
  /** 0..1, or null while the amount of work is unknown. */
  progress: z.number().min(0).max(1).nullable(),
  message: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).nullable(),
  params: z.unknown(),
  result: z.unknown().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof JobSchema>;
