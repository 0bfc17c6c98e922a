// Evidence 2 of Proof of Attribution: for each response token, the training records whose
// gradients most increase that token's probability under the adapter, by DataInf (default) or
// TracIn over the per-adapter record gradient store (recordGradientStore.ts). Query gradients
// come from tokenGradients.ts (exact: one backward per token; or per span), scores from
// influenceScores.ts (one GEMM pass over the store for all tokens).
import type { GradientEvidence } from './evidenceTypes';
import { exactTokenGradients, spanTokenGradients, type GradientModel } from './tokenGradients';
import type { LoraLayerLayout } from './loraLayerLayout';
import type { RecordGradientStore } from './recordGradientStore';
import { precondition, topRowsPerQuery } from './influenceScores';
import { relativeInfluenceScales } from './relativeInfluence';

export interface GradientEvidenceInput {
  /** the base model with the adapter the store was computed for (loadGradientModel) */
  model: GradientModel;
  layout: LoraLayerLayout;
  maxPositions: number;
  promptIds: readonly number[];
  responseIds: readonly number[];
  store: RecordGradientStore;
  method?: GradientEvidence['method'];
  /** records kept per token; default 10 */
  top?: number;
  /** query gradients: 'exact' (default) or one backward per span of this many tokens */
  span?: number;
  /** tokens of context each backward sees (cut on the left); default the model's positions */
  context?: number;
  /**
   * 'relative' (default): each record's influence divided by √ its self-influence
   * (relativeInfluence.ts), so records with large gradients do not top every token; 'raw': the
   * influence as the formula gives it.
   */
  normalise?: 'relative' | 'raw';
}

export function computeGradientEvidence(i: GradientEvidenceInput): GradientEvidence {
  const t0 = performance.now();
  const method = i.method ?? 'datainf';
  const { store } = i;
  if (i.layout.layers !== store.meta.layers || i.layout.paramsPerLayer.some((d, l) => d !== store.meta.paramsPerLayer[l])) {
    throw new Error(`${store.dir}: the store's LoRA layout (${store.meta.layers} layers) is not this adapter's (${i.layout.layers})`);
  }
  const ids = [...i.promptIds, ...i.responseIds];
  const o = { layout: i.layout, kPerLayer: store.meta.kPerLayer, seed: store.meta.seed, maxPositions: Math.min(i.maxPositions, i.context ?? i.maxPositions) };
  const span = i.span ?? 1;
  const queries = span === 1 ? exactTokenGradients(i.model, ids, i.promptIds.length, o) : spanTokenGradients(i.model, ids, i.promptIds.length, span, o);
  const scale = (i.normalise ?? 'relative') === 'relative' ? relativeInfluenceScales(store, method) : undefined;
  const scored =
    method === 'datainf'
      ? topRowsPerQuery(store, precondition(store.preconditioner, store.meta.kPerLayer, queries), i.top ?? 10, 1, scale)
      : topRowsPerQuery(store, queries, i.top ?? 10, store.meta.lrWeight, scale);
  const perToken = scored.map((list) => {
    const best = list[0]?.score ?? 0;
    return best > 0 ? list.map((s) => ({ record: store.ids[s.row]!, score: s.score / best })) : [];
  });
  return { method, perToken, ms: performance.now() - t0 };
}
