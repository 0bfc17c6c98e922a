import { z } from 'zod';
import { AddressSchema, PublicationSchema } from './chainSchemas';

// Datanets (main/datanets): curated datasets whose records stay tied to their contributors.
// The methods are listed in contract.ts; imports and signal recomputes are job kinds
// ('datanet.import', 'datanet.signals') started with jobs.start.

export const DatanetNameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'a datanet name: lowercase letters, digits, ".", "_" or "-", at most 64, starting with a letter or digit');
export const RecordSchemaKindSchema = z.enum(['text', 'instruction', 'chat', 'labelled']);
export type RecordSchemaKind = z.infer<typeof RecordSchemaKindSchema>;
export const RecordStatusSchema = z.enum(['pending', 'accepted', 'rejected', 'excluded']);
export type RecordStatus = z.infer<typeof RecordStatusSchema>;
export const ImportFormatSchema = z.enum(['jsonl', 'csv', 'tsv', 'parquet', 'text']);
export type ImportFormat = z.infer<typeof ImportFormatSchema>;

export const DatanetCreateParamsSchema = z
  .object({
    name: DatanetNameSchema,
    schema: RecordSchemaKindSchema.default('text'),
    domain: z.string().max(200).default(''),
    description: z.string().max(4000).default(''),
    licence: z.string().max(200).default(''),
    /** Jaccard similarity at or above which two records are near duplicates. */
    nearDuplicateThreshold: z.number().min(0.3).max(1).default(0.8),
  })
  .strict();

export const DatanetSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  schema: RecordSchemaKindSchema,
  domain: z.string(),
  description: z.string(),
  licence: z.string(),
  nearDuplicateThreshold: z.number(),
  createdAt: z.string(),
  records: z.number().int(),
  versions: z.number().int(),
});
export type Datanet = z.infer<typeof DatanetSchema>;

/** How source fields become a record; the defaults follow the datanet's schema. */
export const FieldMappingSchema = z
  .object({
    textField: z.string().min(1).max(200).optional(),
    promptField: z.string().min(1).max(200).optional(),
    responseField: z.string().min(1).max(200).optional(),
    messagesField: z.string().min(1).max(200).optional(),
    labelField: z.string().min(1).max(200).optional(),
    /** Without it a field named `id` is the source id when there is one, else `line-N`. */
    idField: z.string().min(1).max(200).optional(),
    contributorField: z.string().min(1).max(200).optional(),
    /** One address for every row (exclusive with contributorField). */
    contributor: z.string().max(64).optional(),
  })
  .strict();
export type FieldMapping = z.infer<typeof FieldMappingSchema>;

export const DatanetImportParamsSchema = z
  .object({
    datanet: DatanetNameSchema,
    /** A file, or a folder of .txt/.md files, or a dataset folder of Parquet/JSONL shards. */
    path: z.string().min(1).max(4096),
    /** Guessed from the extension (or the folder's files) when absent. */
    format: ImportFormatSchema.optional(),
    /** Text folders: one record per file or one per paragraph (blank-line separated). */
    split: z.enum(['file', 'paragraph']).default('file'),
    mapping: FieldMappingSchema.default({}),
  })
  .strict();
export type DatanetImportParams = z.input<typeof DatanetImportParamsSchema>;

/** One row kept out of an import. `line` is the 1-based line (JSONL, CSV, text) or the 1-based row
 * of a Parquet file; Parquet rows also say their row group and the row within it. */
export const RejectedRowSchema = z.object({
  line: z.number().int(),
  reason: z.string(),
  file: z.string().optional(),
  rowGroup: z.number().int().optional(),
  row: z.number().int().optional(),
});
export type RejectedRow = z.infer<typeof RejectedRowSchema>;

export const DatanetImportResultSchema = z.object({
  importId: z.number().int(),
  imported: z.number().int(),
  /** At most the first 1000; `rejectedCount` says how many there were in all. */
  rejected: z.array(RejectedRowSchema),
  rejectedCount: z.number().int(),
  /** The saved report (JSON) in the artifact store. */
  report: z.string(),
  reportSha256: z.string(),
});
export type DatanetImportResult = z.infer<typeof DatanetImportResultSchema>;

/** Recomputes every record's signals; a new threshold becomes the datanet's. */
export const DatanetSignalsParamsSchema = z
  .object({ datanet: DatanetNameSchema, nearDuplicateThreshold: z.number().min(0.3).max(1).optional() })
  .strict();

/** How many records were rescored, and the threshold now in force. */
export const DatanetSignalsResultSchema = z.object({ records: z.number().int(), nearDuplicateThreshold: z.number() });

/** Builds the demo datanet (State of the Union addresses) if the workspace lacks it; no params. */
export const DatanetDemoParamsSchema = z.object({}).strict().default({});

/** The demo datanet as it now stands; `created` is false when it was already there. */
export const DatanetDemoResultSchema = z.object({
  datanet: z.string(),
  created: z.boolean(),
  records: z.number().int(),
  contributors: z.number().int(),
  version: z.number().int(),
  merkleRoot: z.string(),
});
export type DatanetDemoResult = z.infer<typeof DatanetDemoResultSchema>;

export const DatanetStatsSchema = z.object({
  records: z.number().int(),
  accepted: z.number().int(),
  pending: z.number().int(),
  rejected: z.number().int(),
  excluded: z.number().int(),
  /** Copies beyond the first of each normalised text. */
  exactDuplicates: z.number().int(),
  /** Records in a near-duplicate cluster beyond its first (smallest id) record. */
  nearDuplicates: z.number().int(),
  nearDuplicateClusters: z.number().int(),
  /** Records with at least one PII match. */
  pii: z.number().int(),
  /** Records failing at least one quality heuristic. */
  quality: z.number().int(),
  contributors: z.number().int(),
  imports: z.number().int(),
  versions: z.number().int(),
  languages: z.record(z.string(), z.number().int()),
});
export type DatanetStats = z.infer<typeof DatanetStatsSchema>;

export const PiiMatchSchema = z.object({ kind: z.string(), start: z.number().int(), end: z.number().int() });
export type PiiMatch = z.infer<typeof PiiMatchSchema>;

export const RecordSignalsSchema = z.object({
  exactDupOf: z.number().int().nullable(),
  nearDupCluster: z.number().int().nullable(),
  piiCount: z.number().int(),
  pii: z.array(PiiMatchSchema),
  length: z.number().int(),
  words: z.number().int(),
  meanWordLength: z.number(),
  symbolRatio: z.number(),
  alphaRatio: z.number(),
  dupLineRatio: z.number(),
  topNgramRatio: z.number(),
  stopWords: z.number().int(),
  language: z.string(),
  qualityFlags: z.array(z.string()),
});
export type RecordSignals = z.infer<typeof RecordSignalsSchema>;

export const DatanetRecordSchema = z.object({
  id: z.number().int(),
  sourceId: z.string(),
  importId: z.number().int(),
  contributor: z.string(),
  content: z.record(z.string(), z.unknown()),
  metadata: z.record(z.string(), z.unknown()),
  text: z.string(),
  contentHash: z.string(),
  status: RecordStatusSchema,
  statusReason: z.string().nullable(),
  signals: RecordSignalsSchema.nullable(),
});
export type DatanetRecord = z.infer<typeof DatanetRecordSchema>;

/** Sortable signal columns. */
export const RecordSortSchema = z.enum(['id', 'length', 'piiCount', 'meanWordLength', 'symbolRatio', 'alphaRatio', 'dupLineRatio', 'topNgramRatio', 'contributor']);

export const DatanetRecordsParamsSchema = z
  .object({
    datanet: DatanetNameSchema,
    /** The same filter expressions as review: all, duplicate, near-duplicate, pii, quality,
     * an address, status:STATE, search:TEXT, cluster:ID. */
    filter: z.string().max(1000).default('all'),
    sort: RecordSortSchema.default('id'),
    descending: z.boolean().default(false),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const DatanetRecordsPageSchema = z.object({
  total: z.number().int(),
  records: z.array(DatanetRecordSchema),
  /** For search: filters, the FTS5 snippet per record id with matches between [ and ]. */
  highlights: z.record(z.string(), z.string()),
});

export const ReviewActionKindSchema = z.enum(['accept', 'reject', 'exclude', 'undo']);
export const DatanetReviewParamsSchema = z
  .object({
    datanet: DatanetNameSchema,
    filter: z.string().min(1).max(1000).optional(),
    /** Explicit records (the review queue); combined with filter when both are given. */
    recordIds: z.array(z.number().int()).max(100_000).optional(),
    action: ReviewActionKindSchema,
    reason: z.string().max(1000).optional(),
    actor: z.string().max(200).default('local'),
  })
  .strict();
export const DatanetReviewResultSchema = z.object({ actionId: z.number().int().nullable(), changed: z.number().int() });

export const ReviewActionSchema = z.object({
  id: z.number().int(),
  actor: z.string(),
  action: ReviewActionKindSchema,
  filter: z.string(),
  reason: z.string().nullable(),
  changed: z.number().int(),
  createdAt: z.string(),
  /** Changes of this action already undone. */
  undone: z.number().int(),
});

export const DatanetVersionSchema = z.object({
  version: z.number().int(),
  merkleRoot: z.string(),
  records: z.number().int(),
  /** sha256 of the JSONL snapshot (the snapshotSha256 published on chain). */
  sha256: z.string(),
  parquetSha256: z.string(),
  createdAt: z.string(),
});
export type DatanetVersion = z.infer<typeof DatanetVersionSchema>;

export const VersionRefParamsSchema = z
  .object({ datanet: DatanetNameSchema, version: z.number().int().min(1).optional() })
  .strict();

export const DatanetDiffSchema = z.object({
  from: z.number().int(),
  to: z.number().int(),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  /** Same source id, different content or contributor. */
  changed: z.array(z.string()),
});

export const DatanetProofSchema = z.object({
  version: z.number().int(),
  merkleRoot: z.string(),
  sourceId: z.string(),
  contributor: AddressSchema,
  recordHash: z.string(),
  proof: z.array(z.string()),
});
export type DatanetProof = z.infer<typeof DatanetProofSchema>;

export const DatanetImportSchema = z.object({
  id: z.number().int(),
  source: z.string(),
  format: z.string(),
  mapping: z.record(z.string(), z.unknown()),
  imported: z.number().int(),
  rejected: z.number().int(),
  reportSha256: z.string(),
  createdAt: z.string(),
});

export const SourcePreviewSchema = z.object({
  format: ImportFormatSchema,
  files: z.number().int(),
  fields: z.array(z.string()),
  rows: z.array(z.object({ line: z.number().int(), file: z.string().optional(), fields: z.record(z.string(), z.unknown()).optional(), error: z.string().optional() })),
});

export const DatanetSubmissionSchema = z.object({
  id: z.number().int(),
  importId: z.number().int(),
  contributor: z.string(),
  records: z.number().int(),
  /** Merkle root of the batch's (contributor, contentHash) leaves: the on-chain recordBatchHash. */
  batchRoot: z.string(),
  onchainDatanetId: z.string(),
  onchainSubmissionId: z.string().nullable(),
  /** Wei, decimal string. */
  stake: z.string(),
  status: z.enum(['pending', 'accepted', 'rejected', 'slashed']),
  publicationId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

const NameOnly = z.object({ datanet: DatanetNameSchema }).strict();
const m = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

/**
 * The datanet API methods, spread into contract.ts's `methods`. Imports ('datanet.import',
 * params DatanetImportParamsSchema) and signal recomputes ('datanet.signals') are job kinds.
 */
export const datanetMethods = {
  'datanets.list': m(z.object({}).strict(), z.array(DatanetSchema)),
  'datanets.create': m(DatanetCreateParamsSchema, DatanetSchema),
  'datanets.get': m(NameOnly, DatanetSchema),
  'datanets.stats': m(NameOnly, DatanetStatsSchema),
  /** The first rows of a file or folder for the field-mapping step (values over 2000 characters cut). */
  'datanets.preview': m(
    z.object({ path: z.string().min(1).max(4096), format: ImportFormatSchema.optional(), split: z.enum(['file', 'paragraph']).default('file'), limit: z.number().int().min(1).max(100).default(20) }).strict(),
    SourcePreviewSchema,
  ),
  'datanets.imports': m(NameOnly, z.array(DatanetImportSchema)),
  'datanets.records': m(DatanetRecordsParamsSchema, DatanetRecordsPageSchema),
  'datanets.record': m(z.object({ datanet: DatanetNameSchema, id: z.number().int() }).strict(), DatanetRecordSchema),
  /** Accept, reject (reason required), exclude or undo the records a filter or id list selects. */
  'datanets.review': m(DatanetReviewParamsSchema, DatanetReviewResultSchema),
  'datanets.reviewHistory': m(z.object({ datanet: DatanetNameSchema, limit: z.number().int().min(1).max(1000).default(100) }).strict(), z.array(ReviewActionSchema)),
  /** Undoes one whole action; CONFLICT when a later action changed some of its records. */
  'datanets.undoAction': m(z.object({ datanet: DatanetNameSchema, actionId: z.number().int(), actor: z.string().max(200).default('local') }).strict(), DatanetReviewResultSchema),
  'datanets.versions': m(NameOnly, z.array(DatanetVersionSchema)),
  /** Freezes the accepted records as the next version. */
  'datanets.createVersion': m(NameOnly, DatanetVersionSchema),
  'datanets.diff': m(z.object({ datanet: DatanetNameSchema, from: z.number().int().min(1), to: z.number().int().min(1) }).strict(), DatanetDiffSchema),
  'datanets.proof': m(z.object({ datanet: DatanetNameSchema, version: z.number().int().min(1).optional(), sourceId: z.string().min(1).max(512) }).strict(), DatanetProofSchema),
  'datanets.export': m(
    z.object({ datanet: DatanetNameSchema, version: z.number().int().min(1).optional(), format: z.enum(['jsonl', 'parquet']), out: z.string().min(1).max(4096) }).strict(),
    z.object({ path: z.string(), version: z.number().int(), format: z.string(), sha256: z.string(), records: z.number().int() }),
  ),
  /** Commits a version on the devnet's DatanetRegistry (creating the datanet there first). */
  'datanets.publish': m(
    VersionRefParamsSchema,
    z.object({ version: z.number().int(), onchainDatanetId: z.string(), publication: PublicationSchema }),
  ),
  /** Submits an import on the devnet as staked batches, one per contributor (each sent from the
   * contributor's dev account); DATANET_CONTRIBUTOR_KEY when a contributor is not one. */
  'datanets.submitImport': m(z.object({ datanet: DatanetNameSchema, importId: z.number().int() }).strict(), z.array(DatanetSubmissionSchema)),
  'datanets.submissions': m(NameOnly, z.array(DatanetSubmissionSchema)),
  /** The curator's decision; reject and slash also reject the batch's records (undoable). */
  'datanets.decideSubmission': m(
    z.object({ datanet: DatanetNameSchema, submissionId: z.number().int(), decision: z.enum(['accept', 'reject', 'slash']) }).strict(),
    DatanetSubmissionSchema,
  ),
} as const;
