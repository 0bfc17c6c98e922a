import { z } from 'zod';
import { AddressSchema } from './chainSchemas';

// Proof of Attribution (main/attribution): which training records, and so which contributors,
// shaped each generated token. One result shape serves every caller: `studio generate
// --attribute --json`, the /v1 endpoint's opt-in `attribution` extension field, the playground's
// heatmap and the settlement that records each attributed inference's fee and shares.

/** A datanet version as "name@version" (version >= 1). */
export const DatanetVersionRefSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}@[1-9][0-9]{0,8}$/, 'a datanet version: NAME@VERSION, e.g. "recipes@2"');

/** One record's evidence for one token (or one response): its datanet source id, its
 * contributor, the combined score and the two evidences it came from. */
export const RecordScoreSchema = z.object({
  /** The record's source id in its datanet (what the contributor submitted it as). */
  record: z.string(),
  contributor: AddressSchema,
  /** Combined score, >= 0; the rule is `combinationRule` in the response. */
  score: z.number(),
  /** Exact-span evidence: the longest verbatim match through this token found in the record, in
   * tokens, weighted by the span's rarity; 0 when the record holds no span covering the token. */
  spanScore: z.number(),
  /** Gradient influence (DataInf or TracIn) of the record on this token's loss, normalised; null
   * when no gradient store exists for the adapter (exact spans only). */
  gradientScore: z.number().nullable(),
  /** Prompt context: how decisively the record holds the prompt's own verbatim spans, in [0, 1]
   * (promptContext.ts); 0 when it holds none or no prompt was given. It re-ranks records that
   * carry evidence for the token; it never adds one. */
  contextScore: z.number(),
});
export type RecordScore = z.infer<typeof RecordScoreSchema>;

/** A maximal span of the response that occurs verbatim in the datanet (OLMoTrace's rule: starts
 * at a word boundary, cannot be extended either way, ranked by rarity). Token indexes are into
 * the response's `tokens`, end exclusive. */
export const AttributedSpanSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().positive(),
  text: z.string(),
  /** How many times the span occurs in the indexed datanet. */
  occurrences: z.number().int().positive(),
  /** Records containing it (at most 20, the rarest span's records first). */
  records: z.array(z.object({ record: z.string(), contributor: AddressSchema })),
});
export type AttributedSpan = z.infer<typeof AttributedSpanSchema>;

export const TokenAttributionSchema = z.object({
  /** Top records for this token, highest score first (at most 10). */
  records: z.array(RecordScoreSchema),
  /** The highest-ranked maximal span covering this token, or null. */
  span: AttributedSpanSchema.nullable(),
});

export const AttributedTokenSchema = z.object({
  text: z.string(),
  tokenId: z.number().int().nonnegative(),
  /** Length in tokens of the longest datanet match ending at this token (infini-gram's ∞-gram
   * suffix length); 0 when the token itself never occurs. */
  matchLength: z.number().int().nonnegative(),
  attribution: TokenAttributionSchema,
});
export type AttributedToken = z.infer<typeof AttributedTokenSchema>;

export const ContributorShareSchema = z.object({ address: AddressSchema, share: z.number().min(0).max(1) });
export type ContributorShare = z.infer<typeof ContributorShareSchema>;

export const ResponseAttributionSchema = z.object({
  /** The served model name: the base model or an adapter from the registry. */
  model: z.string(),
  adapter: z.string().nullable(),
  datanet: z.object({ name: z.string(), version: z.number().int().positive(), root: z.string() }),
  /** How the datanet was found: the adapter's lineage, or named by the caller. */
  datanetFrom: z.enum(['lineage', 'argument']),
  evidence: z.object({
    spans: z.literal(true),
    gradient: z.enum(['datainf', 'tracin']).nullable(),
    /** Which evidences were used, in words: with gradients, the adapter's store and the query
     * settings; without, why not (no adapter, training data unknown, store not built yet, ...). */
    note: z.string().nullable(),
  }),
  /** The documented rule that turns the two evidences into scores and shares, in words. */
  combinationRule: z.string(),
  tokens: z.array(AttributedTokenSchema),
  spans: z.array(AttributedSpanSchema),
  /** The prompt's maximal spans found verbatim in the datanet (token indexes into the prompt's
   * text tokens), rarest first: the context evidence behind each record's contextScore. */
  promptSpans: z.array(AttributedSpanSchema),
  threshold: z.object({
    bps: z.number().int().min(0).max(10_000),
    /** 'chain': read from ProtocolParams.attributionThresholdBps; 'default' when no chain answered. */
    source: z.enum(['chain', 'default']),
    /** Contributors under the threshold, with the share they had before it. */
    dropped: z.array(ContributorShareSchema),
  }),
  /** Shares after the threshold, renormalised to sum to 1, highest first. */
  contributors: z.array(ContributorShareSchema),
  /** The inference as recorded for settlement, or null when not recorded. */
  inference: z
    .object({ id: z.number().int().positive(), epoch: z.number().int().nonnegative(), feeWei: z.string().regex(/^[0-9]+$/) })
    .nullable(),
  timings: z.object({ spansMs: z.number(), gradientMs: z.number().nullable() }),
});
export type ResponseAttribution = z.infer<typeof ResponseAttributionSchema>;

/** Params of `attribution.attribute`: attribute a completion the caller already has (the
 * playground streams from /v1, then asks). `model` is a /v1 model name (the base or an adapter).
 * The datanet comes from the adapter's lineage unless named; `record: false` leaves the inference
 * out of settlement (previews, evaluation). */
export const AttributeParamsSchema = z
  .object({
    model: z.string().min(1).max(200),
    prompt: z.string().max(100_000),
    completion: z.string().max(100_000),
    datanet: DatanetVersionRefSchema.optional(),
    record: z.boolean().default(true),
  })
  .strict();

/** Params of the 'attribution.index' job kind: build (or check and reuse) a datanet version's span
 * index under the tokenizer of `model` (a base model folder, or "default") or of `adapter`'s base. */
export const AttributionIndexParamsSchema = z
  .object({
    datanet: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}(@[1-9][0-9]{0,8})?$/, 'a datanet: NAME or NAME@VERSION'),
    model: z.string().min(1).max(4096).optional(),
    adapter: z.string().min(1).max(4096).optional(),
  })
  .strict();

export const AttributionIndexResultSchema = z.object({
  datanet: z.object({ name: z.string(), version: z.number().int().positive(), root: z.string() }),
  dir: z.string(),
  built: z.boolean(),
  /** Why an existing index was rebuilt (stale or corrupt), or null. */
  rebuiltBecause: z.string().nullable(),
  documents: z.number().int(),
  tokens: z.number().int(),
  tokenWidth: z.number().int(),
  ptrSize: z.number().int(),
  /** Every file, header and document offsets included. */
  bytes: z.number().int(),
  /** (tokens file + suffix table) / tokens: the cost of one indexed token. */
  bytesPerToken: z.number(),
  ms: z.number(),
  suffixArrayMs: z.number().nullable(),
});
export type AttributionIndexResult = z.infer<typeof AttributionIndexResultSchema>;

const m = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

/** The attribution API methods, spread into contract.ts's `methods`. Index builds are the
 * 'attribution.index' job kind. */
export const attributionMethods = {
  /** Attributes a completion of the served base or one of its adapters against the datanet of the
   * adapter's lineage (or `datanet`), building its span index on first use. */
  'attribution.attribute': m(AttributeParamsSchema, ResponseAttributionSchema),
};
