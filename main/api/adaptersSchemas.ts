import { z } from 'zod';
import { Sha256Schema } from './schemas';

/** A registered adapter's name: what `model` names on /v1 and `--adapter` names in the CLI. */
export const AdapterNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an adapter name is 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');

/** The base model an adapter was made on: its folder then, and the sha256 of its files. */
export const AdapterBaseSchema = z.object({
  /** The folder as recorded (it may have moved since; the digest is what identifies it). */
  path: z.string().nullable(),
  arch: z.string().nullable(),
  /** sha256 over the file hashes below (see main/adapters/modelFingerprint.ts). */
  digest: z.string(),
  files: z.record(z.string(), Sha256Schema),
});
export type AdapterBase = z.infer<typeof AdapterBaseSchema>;

export const MergeCombinationSchema = z.enum(['cat', 'linear', 'ties', 'dare_linear', 'dare_ties']);

export const AdapterSourceSchema = z.enum(['trained', 'imported', 'merged']);

export const AdapterRecordSchema = z.object({
  name: AdapterNameSchema,
  source: AdapterSourceSchema,
  rank: z.number().int().positive(),
  alpha: z.number().positive(),
  rslora: z.boolean(),
  targets: z.array(z.string()),
  /** Adapted modules and LoRA parameters (A and B elements). */
  modules: z.number().int(),
  parameters: z.number().int(),
  /** Bytes of adapter_config.json + adapter_model.safetensors. */
  size: z.number().int(),
  configSha256: Sha256Schema,
  weightsSha256: Sha256Schema,
  base: AdapterBaseSchema,
  /** Lineage: the datanet version trained on (when the run recorded one), the run folder, the
   * folder it was imported from, and for a merge every parent with its weight. */
  datanet: z.string().nullable(),
  run: z.string().nullable(),
  importedFrom: z.string().nullable(),
  parents: z.array(z.object({ name: z.string(), weight: z.number(), configSha256: Sha256Schema, weightsSha256: Sha256Schema })),
  /** A merge's options: how the parents were combined (null when not merged, or merged before
   * they were recorded). density: ties/dare_*; seed: dare_* (the default 0 recorded as used). */
  merge: z
    .object({ method: MergeCombinationSchema, density: z.number().nullable(), seed: z.number().int().nullable() })
    .nullable(),
  createdAt: z.string(),
});
export type AdapterRecord = z.infer<typeof AdapterRecordSchema>;

export const AdaptersListParamsSchema = z
  .object({ query: z.string().max(200).optional().describe('Words that must all appear in the name, source, targets, base folder, run or datanet') })
  .strict()
  .default({});

export const AdaptersImportParamsSchema = z
  .object({
    dir: z.string().min(1).max(4096).describe('A PEFT adapter folder: adapter_config.json + adapter_model.safetensors'),
    name: AdapterNameSchema.optional().describe('Default: the folder name (made unique)'),
    base: z
      .string()
      .min(1)
      .max(4096)
      .optional()
      .describe("The base model folder the shapes are checked against; default: the adapter's base_model_name_or_path when it is a local folder"),
  })
  .strict();


export const AdaptersMergeParamsSchema = z
  .object({
    out: AdapterNameSchema,
    parents: z.array(z.object({ name: AdapterNameSchema, weight: z.number().finite() }).strict()).min(2).max(16),
    /** cat: the exact weighted sum of the parents' updates (rank = sum of ranks, PEFT's 'cat');
     * linear: PEFT's 'linear' (same rank required, factors mixed by sqrt(weight): an approximation);
     * ties, dare_linear, dare_ties: PEFT's TIES/DARE options on the factors (need a density). */
    combination: MergeCombinationSchema.default('cat'),
    density: z.number().gt(0).lte(1).optional().describe('ties, dare_linear, dare_ties: the fraction of each factor kept'),
    seed: z.number().int().min(0).max(0xffffffff).optional().describe('dare_linear, dare_ties: seeds the random drop (default 0)'),
  })
  .strict();

export const AdapterExportTargetSchema = z.enum(['vllm', 'lorax']);
export const AdaptersExportParamsSchema = z
  .object({ name: AdapterNameSchema, for: AdapterExportTargetSchema, out: z.string().min(1).max(4096).describe('A folder that does not exist yet') })
  .strict();
export const AdapterExportResultSchema = z.object({ dir: z.string(), adapterDir: z.string(), command: z.string() });

/**
 * Verified loading: whether the adapter's files match its ModelRegistry entry. unpublished: no
 * confirmed registration in this workspace; verified: the files hash to the on-chain record;
 * mismatch: they do not (the adapter is refused; `file` names the changed file when known);
 * unverifiable: published, but that chain cannot be read now (served with a warning).
 */
/** A published adapter's ModelRegistry entry as read from the chain now, with its lineage resolved:
 * the base model's files hash and each datanet version's Merkle root (null when that read failed). */
export const RegistryAdapterEntrySchema = z.object({
  owner: z.string(),
  uri: z.string(),
  filesHash: z.string(),
  trainingConfigHash: z.string(),
  baseModelId: z.string(),
  baseFilesHash: z.string().nullable(),
  datanetVersions: z.array(z.object({ datanetId: z.string(), version: z.string(), merkleRoot: z.string().nullable() })),
});
export type RegistryAdapterEntry = z.infer<typeof RegistryAdapterEntrySchema>;

/** One adapter file whose bytes differ from what was published: both sha256s and where it is. */
export const ChangedAdapterFileSchema = z.object({ file: z.string(), path: z.string(), published: z.string(), actual: z.string() });

export const AdapterVerificationSchema = z.object({
  name: z.string(),
  status: z.enum(['unpublished', 'verified', 'mismatch', 'unverifiable']),
  chainId: z.number().int().nullable(),
  modelId: z.string().nullable(),
  file: z.string().nullable(),
  message: z.string().nullable(),
  /** The on-chain entry (null: unpublished, or the chain could not be read). */
  entry: RegistryAdapterEntrySchema.nullable(),
  /** The files hash of the adapter's files as they are on disk now (null: unpublished, or unreadable). */
  localFilesHash: z.string().nullable(),
  /** mismatch: each file changed since publishing (empty when the chain's entry is another adapter's). */
  changed: z.array(ChangedAdapterFileSchema),
});
export type AdapterVerification = z.infer<typeof AdapterVerificationSchema>;

export const AdaptersVerifyParamsSchema = z
  .object({ names: z.array(AdapterNameSchema).max(1000).optional().describe('Default: every registered adapter') })
  .strict()
  .default({});
