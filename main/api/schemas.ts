import { z } from 'zod';

/**
 * Entity schemas shared by every transport. Plain TypeScript with zod only: this folder is
 * imported by the core (runtime validation) and, type-only, by the renderer.
 */

export const WorkspaceNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lowercase letters, digits, "-" and "_", 1-63 characters, starting with a letter or digit');

export const WorkspaceStatusSchema = z.enum(['ok', 'locked', 'corrupt', 'too-new', 'missing-db']);

export const WorkspaceSummarySchema = z.object({
  name: z.string(),
  path: z.string(),
  isDemo: z.boolean(),
  status: WorkspaceStatusSchema,
  /** Why the status is not ok, for people. */
  statusDetail: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummarySchema>;

export const WorkspaceInfoSchema = z.object({
  name: z.string(),
  path: z.string(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  schemaVersion: z.number().int(),
  counts: z.object({ artifacts: z.number().int(), jobs: z.number().int() }),
  artifactBytes: z.number().int(),
});
export type WorkspaceInfo = z.infer<typeof WorkspaceInfoSchema>;

/** Where the native engine runs a model: the engine.device setting, `--device` of the CLI. */
export const DeviceChoiceSchema = z.enum(['auto', 'cpu', 'cuda']);
export type DeviceChoice = z.infer<typeof DeviceChoiceSchema>;

export const SettingsSchema = z
  .object({
    displayName: z.string().min(1).max(80).describe('Name shown in the title and status bar.'),
    jobs: z
      .object({
        maxConcurrent: z.number().int().min(1).max(16).describe('Jobs that may run at the same time; the rest wait in the queue.'),
      })
      .strict(),
    editor: z
      .object({
        fontSize: z.number().int().min(8).max(32).describe('Font size of text editors, in pixels.'),
        wordWrap: z.enum(['on', 'off']).describe('Wrap long lines in text editors.'),
      })
      .strict(),
    chain: z
      .object({
        chainId: z.number().int().min(1).max(2 ** 32 - 1).describe('Chain id of the local devnet.'),
        currencySymbol: z.string().min(1).max(8).describe('Symbol of the native gas token shown in the app.'),
        blockTimeSeconds: z.number().int().min(0).max(60).describe('0 mines a block per transaction; 2 matches the protocol network.'),
      })
      .strict(),
    engine: z
      .object({
        device: DeviceChoiceSchema.describe("Where models train and generate: 'auto' uses a CUDA GPU when there is one, else the CPU; 'cpu' always the CPU; 'cuda' requires a GPU."),
      })
      .strict()
      .default({ device: 'auto' }),
    playground: z
      .object({
        model: z.string().max(4096).nullable().describe('The base model folder the playground and /v1 serve; null: none yet (the default model lands with the factory).'),
        adapterMemoryMB: z.number().int().min(1).max(1 << 20).describe('Memory for resident LoRA adapters; beyond it the least recently used is unloaded.'),
        maxAdapterRank: z.number().int().min(1).max(1024).describe('The largest adapter rank served (the LoRA slot every adapter is padded into).'),
      })
      .strict()
      .default({ model: null, adapterMemoryMB: 512, maxAdapterRank: 64 }),
    attribution: z
      .object({
        feeWeiPerInference: z
          .string()
          .regex(/^[1-9][0-9]{0,30}$/, 'a whole number of wei above 0, as decimal digits (1 OPEN = 10^18 wei)')
          .describe('The fee in wei (10^-18 OPEN) each attributed inference records for settlement, split among its contributors; 10000000000000000 = 0.01 OPEN.'),
      })
      .strict()
      .default({ feeWeiPerInference: '10000000000000000' }),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;

export const LogLevelSchema = z.enum(['debug', 'info', 'warn', 'error']);
export const LogEntrySchema = z.object({
  seq: z.number().int(),
  time: z.string(),
  level: LogLevelSchema,
  source: z.string(),
  message: z.string(),
  jobId: z.string().nullable(),
});
export type LogEntry = z.infer<typeof LogEntrySchema>;

export const Sha256Schema = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 as 64 lowercase hex digits');

export const ArtifactSchema = z.object({
  sha256: Sha256Schema,
  size: z.number().int(),
  name: z.string(),
  mediaType: z.string(),
  createdAt: z.string(),
});
export type Artifact = z.infer<typeof ArtifactSchema>;

/** The 'artifacts.import' job: copies a file into the content-addressed store. */
export const ArtifactsImportParamsSchema = z
  .object({
    path: z.string().min(1).describe('Absolute path of the file to import'),
    name: z.string().min(1).max(255).optional(),
    mediaType: z.string().min(1).max(127).optional(),
  })
  .strict();

export const CapabilityStatusSchema = z.object({
  /** 'unavailable' means this build does not include the capability yet; detail says why. */
  state: z.enum(['ready', 'stopped', 'unavailable', 'error']),
  label: z.string(),
  detail: z.string(),
});
export type CapabilityStatus = z.infer<typeof CapabilityStatusSchema>;

export const AppInfoSchema = z.object({
  version: z.string(),
  mode: z.enum(['serve', 'electron', 'embedded']),
  platform: z.string(),
  nodeVersion: z.string(),
  engine: CapabilityStatusSchema,
  chain: CapabilityStatusSchema,
});
export type AppInfo = z.infer<typeof AppInfoSchema>;
