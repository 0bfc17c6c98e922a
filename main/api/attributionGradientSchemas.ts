import { z } from 'zod';

/** 'attribution.gradients': the record gradient store of an adapter (main/attribution/ensureRecordGradientStore.ts). */
export const AttributionGradientsParamsSchema = z
  .object({
    model: z.string().min(1).optional().describe("the base model folder the gradients are taken on; default: a registered adapter's base"),
    adapter: z.string().min(1).describe('the PEFT adapter folder, or the name of a registered adapter'),
    data: z
      .string()
      .min(1)
      .optional()
      .describe('the records it was trained on: a datanet version snapshot (JSONL with "id" and "content") or training JSONL; default: rebuilt from a registered adapter\'s datanet lineage'),
    kPerLayer: z.number().int().min(8).max(4096).default(128).describe('projected values per layer'),
    seed: z.number().int().min(0).max(2 ** 31).default(0),
    seq: z.number().int().min(2).max(65536).default(256).describe('tokens per record, as training truncated them'),
    lrWeight: z.number().positive().default(1).describe("TracIn's weight: the run's mean learning rate (one checkpoint: the final adapter)"),
  })
  .strict();

export const AttributionGradientsResultSchema = z.object({
  dir: z.string(),
  fingerprint: z.string(),
  records: z.number().int(),
  skipped: z.number().int(),
  layers: z.number().int(),
  kPerLayer: z.number().int(),
  bytesPerRecord: z.number(),
  reused: z.boolean(),
  seconds: z.number(),
});
