// Gradient evidence for an adapter folder as the generate / API paths have it: finds the adapter's
// record gradient store by fingerprint (computed by the 'attribution.gradients' job with the same
// settings), loads the base model with the adapter for gradients, and scores the response.
// Returns null when the adapter has no store yet (its training data unknown, or the job not run):
// the caller then attributes by exact spans only and says so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPeftAdapter } from '../engine/peft/loadPeftAdapter';
import { modelSpecWithFiles } from '../engine/modelSpecWithFiles';
import type { GradientEvidence } from './evidenceTypes';
import { recordGradientStoreFingerprint } from './ensureRecordGradientStore';
import { openRecordGradientStore, type ProjectionSettings } from './recordGradientStore';
import { loadGradientModel } from './loadGradientModel';
import { computeGradientEvidence } from './gradientEvidence';

/** The job's defaults (AttributionGradientsParamsSchema): a store built with them is found here. */
export const DEFAULT_PROJECTION: ProjectionSettings = { kPerLayer: 128, seed: 0, seq: 256 };

export interface GradientEvidenceForAdapterOptions {
  model: string;
  adapter: string;
  /** <workspace>/attribution/gradients */
  storesDir: string;
  promptIds: readonly number[];
  responseIds: readonly number[];
  method?: GradientEvidence['method'];
  span?: number;
  top?: number;
  projection?: ProjectionSettings;
}

export async function gradientEvidenceForAdapter(o: GradientEvidenceForAdapterOptions): Promise<GradientEvidence | null> {
  const projection = o.projection ?? DEFAULT_PROJECTION;
  const fingerprint = await recordGradientStoreFingerprint({ model: o.model, adapter: o.adapter, ...projection });
  const dir = join(o.storesDir, fingerprint);
  if (!existsSync(join(dir, 'store.json'))) return null;
  const store = openRecordGradientStore(dir, fingerprint);
  const gm = loadGradientModel(o.model, loadPeftAdapter(o.adapter, modelSpecWithFiles(o.model)));
  return computeGradientEvidence({ ...gm, promptIds: o.promptIds, responseIds: o.responseIds, store, method: o.method, span: o.span, top: o.top });
}
