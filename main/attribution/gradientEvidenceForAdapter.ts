// Gradient evidence for an adapter as the generate / API paths have it: finds the adapter's
// record gradient store by fingerprint (computed by the 'attribution.gradients' job with the same
// settings), loads the base model with the adapter for gradients, and scores the response.
// Returns null when the adapter has no store yet (its training data unknown, or the job not run):
// the caller then attributes by exact spans only and says so. A store folder whose files carry
// another fingerprint is refused (GradientStoreMismatchError), never scored.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPeftAdapter, type PeftAdapterFiles } from '../engine/peft/loadPeftAdapter';
import { modelSpecWithFiles } from '../engine/modelSpecWithFiles';
import { modelFingerprint } from '../adapters/modelFingerprint';
import type { GradientEvidence } from './evidenceTypes';
import { adapterFiles } from './ensureRecordGradientStore';
import { gradientStoreFingerprint, openRecordGradientStore, type ProjectionSettings } from './recordGradientStore';
import { loadGradientModel, type GradientModelWithLayout } from './loadGradientModel';
import { computeGradientEvidence } from './gradientEvidence';

/** The job's defaults (AttributionGradientsParamsSchema): a store built with them is found here. */
export const DEFAULT_PROJECTION: ProjectionSettings = { kPerLayer: 128, seed: 0, seq: 256 };

/**
 * The query gradients the product path takes: one backward per span of 64 response tokens, each
 * seeing up to 256 tokens before it (the default model's whole context). Measured on the default
 * model (`npm run -s bench attribution-query`, bench/RESULTS.md): 0.69 CPU-s for 256 tokens against
 * ~38 CPU-s exact per token, and the record a response reproduces comes first for 0.998 of its
 * tokens (exact per-token gradients: 0.17; spans of 32 cut to 64 tokens of context: 0.89 at
 * 0.90 CPU-s); the price is per-token resolution: Spearman 0.14 with the exact per-token scores.
 */
export const DEFAULT_QUERY = { span: 64, context: 256 } as const;

export interface GradientEvidenceForAdapterOptions {
  /** the base model folder */
  model: string;
  /** the base's modelFingerprint digest when the caller has it (saves hashing its weights) */
  baseDigest?: string;
  /** a PEFT folder or a registered adapter's two files */
  adapter: string | PeftAdapterFiles;
  /** <workspace>/attribution/gradients */
  storesDir: string;
  promptIds: readonly number[];
  responseIds: readonly number[];
  method?: GradientEvidence['method'];
  /** tokens per backward pass; 1 is exact (one per token) */
  span?: number;
  /** tokens each backward sees */
  context?: number;
  top?: number;
  projection?: ProjectionSettings;
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Where the adapter's store is (or would be): its fingerprint names the folder. The adapter's
 * files are small, so they are hashed here synchronously (callers read a workspace meanwhile). */
export function adapterStoreLocation(o: { baseDigest: string; adapter: string | PeftAdapterFiles; storesDir: string; projection?: ProjectionSettings }): { fingerprint: string; dir: string; exists: boolean } {
  const files = adapterFiles(o.adapter);
  const fingerprint = gradientStoreFingerprint({ adapterConfigSha256: sha256(files.config), adapterWeightsSha256: sha256(files.weights), base: o.baseDigest, ...(o.projection ?? DEFAULT_PROJECTION) });
  const dir = join(o.storesDir, fingerprint);
  return { fingerprint, dir, exists: existsSync(join(dir, 'store.json')) };
}

// Loading the base with the adapter costs a model load; a conversation attributes answer after
// answer with the same adapter, so the last one is kept.
let cached: { key: string; gm: GradientModelWithLayout } | null = null;

function gradientModel(model: string, adapter: string | PeftAdapterFiles, fingerprint: string): GradientModelWithLayout {
  const key = `${model}\0${fingerprint}`;
  if (cached?.key !== key) cached = { key, gm: loadGradientModel(model, loadPeftAdapter(adapter, modelSpecWithFiles(model))) };
  return cached.gm;
}

/** The evidence from the adapter's store, or null when it has none; a store of another fingerprint throws. */
export function gradientEvidenceFromStore(o: GradientEvidenceForAdapterOptions & { baseDigest: string }): GradientEvidence | null {
  const where = adapterStoreLocation(o);
  if (!where.exists) return null;
  const store = openRecordGradientStore(where.dir, where.fingerprint);
  const gm = gradientModel(o.model, o.adapter, where.fingerprint);
  return computeGradientEvidence({ ...gm, promptIds: o.promptIds, responseIds: o.responseIds, store, method: o.method, span: o.span, context: o.context, top: o.top });
}

export async function gradientEvidenceForAdapter(o: GradientEvidenceForAdapterOptions): Promise<GradientEvidence | null> {
  return gradientEvidenceFromStore({ ...o, baseDigest: o.baseDigest ?? (await modelFingerprint(o.model)).digest });
}
