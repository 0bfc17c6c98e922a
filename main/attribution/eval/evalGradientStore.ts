// The trained copy's record gradient store (attr-gradients' recordGradientStore.ts), built the
// way the attribution service builds one for an adapter: each record of the copy as training saw
// it ({"text"}), projected per layer. The evaluation's gradient scorer, self-influence and LDS all
// read it.
import { join } from 'node:path';
import { computeRecordGradientStore, gradientStoreFingerprint, openRecordGradientStore, type RecordGradientStore } from '../recordGradientStore';
import { loadGradientModel, type GradientModelWithLayout } from '../loadGradientModel';
import { loadPeftAdapter } from '../../engine/peft/loadPeftAdapter';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { modelSpecialIds } from '../../engine/modelSpecialIds';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import type { EvalRecord } from './plantFacts';

/** Projected values per layer: 64 keeps a 6-layer model's rows at 1.5 KB, under the 4 KB budget. */
export const EVAL_K_PER_LAYER = 64;

export interface EvalGradientStore extends GradientModelWithLayout {
  store: RecordGradientStore;
  tok: Tokenizer;
  eosId: number | null;
  padId: number;
  seq: number;
}

export function buildEvalGradientStore(o: { modelDir: string; adapterDir: string; records: readonly EvalRecord[]; seq: number; seed: number; outDir: string }): EvalGradientStore {
  const spec = modelSpecWithFiles(o.modelDir);
  const g = loadGradientModel(o.modelDir, loadPeftAdapter(o.adapterDir, spec));
  const tok = Tokenizer.fromModelDir(o.modelDir);
  const ids = modelSpecialIds(o.modelDir);
  const eosId = ids.eos[0] ?? null;
  const settings = { kPerLayer: EVAL_K_PER_LAYER, seed: o.seed, seq: o.seq };
  // The copy's adapter lives and dies with this run: its folder path names it well enough.
  const fingerprint = gradientStoreFingerprint({ adapterConfigSha256: o.adapterDir, adapterWeightsSha256: o.adapterDir, base: o.modelDir, ...settings });
  const dir = join(o.outDir, 'gradients');
  computeRecordGradientStore(g.model, tok, o.records.map((r) => ({ id: r.sourceId, record: { kind: 'text' as const, text: r.text } })), {
    ...settings,
    outDir: dir,
    layout: g.layout,
    fingerprint,
    eosId,
    padId: ids.pad,
  });
  return { ...g, store: openRecordGradientStore(dir, fingerprint), tok, eosId, padId: ids.pad, seq: o.seq };
}
