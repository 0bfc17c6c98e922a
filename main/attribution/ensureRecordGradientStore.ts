// The record gradient store of an adapter, computed on first use and reused afterwards: the store
// folder is named by its fingerprint (the adapter's file hashes, the base model's digest and the
// projection settings), so a store is found again wherever the adapter is copied and is never
// reused for another adapter. Body of the 'attribution.gradients' job; also callable directly
// (`studio attribution index --adapter` builds it through the job).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { modelFingerprint, sha256File } from '../adapters/modelFingerprint';
import { loadPeftAdapter, type PeftAdapterFiles } from '../engine/peft/loadPeftAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS } from '../engine/peft/savePeftAdapter';
import { modelSpecWithFiles } from '../engine/modelSpecWithFiles';
import { modelSpecialIds } from '../engine/modelSpecialIds';
import { Tokenizer } from '../engine/tokenizer/Tokenizer';
import type { TrainingRecord } from '../engine/training/readTrainingRecords';
import { readAttributionRecords } from './readAttributionRecords';
import { loadGradientModel } from './loadGradientModel';
import { computeRecordGradientStore, gradientStoreFingerprint, openRecordGradientStore, type ProjectionSettings, type RecordGradientStore } from './recordGradientStore';

export interface EnsureRecordGradientStoreOptions extends ProjectionSettings {
  /** base model folder */
  model: string;
  /** PEFT adapter folder, or its two files (a registered adapter's, content-addressed) */
  adapter: string | PeftAdapterFiles;
  /** the records the adapter was trained on: a file (readAttributionRecords' formats) or the records themselves */
  data: string | { id: string; record: TrainingRecord }[];
  /** folder that holds stores, one sub-folder per fingerprint */
  storesDir: string;
  /** TracIn's learning-rate weight (the run's mean learning rate); default 1 */
  lrWeight?: number;
  progress?: (done: number, total: number) => void;
  /** checked between records: true stops with an error */
  cancelled?: () => boolean;
  warn?: (message: string) => void;
}

export interface EnsuredRecordGradientStore {
  store: RecordGradientStore;
  fingerprint: string;
  reused: boolean;
  seconds: number;
}

/** The adapter's two files, wherever they are: a folder's, or the artifact store's. */
export function adapterFiles(adapter: string | PeftAdapterFiles): PeftAdapterFiles {
  return typeof adapter === 'string' ? { config: join(adapter, ADAPTER_CONFIG), weights: join(adapter, ADAPTER_WEIGHTS) } : adapter;
}

/** Hashes the files (not their paths): a copied adapter, or the registry's copy, finds the same store. */
export async function recordGradientStoreFingerprint(o: Pick<EnsureRecordGradientStoreOptions, 'model' | 'adapter'> & ProjectionSettings): Promise<string> {
  const base = (await modelFingerprint(o.model)).digest;
  const files = adapterFiles(o.adapter);
  return gradientStoreFingerprint({
    adapterConfigSha256: await sha256File(files.config),
    adapterWeightsSha256: await sha256File(files.weights),
    base, kPerLayer: o.kPerLayer, seed: o.seed, seq: o.seq,
  });
}

export async function ensureRecordGradientStore(o: EnsureRecordGradientStoreOptions): Promise<EnsuredRecordGradientStore> {
  const t0 = performance.now();
  const fingerprint = await recordGradientStoreFingerprint(o);
  const dir = join(o.storesDir, fingerprint);
  if (existsSync(join(dir, 'store.json'))) {
    try {
      return { store: openRecordGradientStore(dir, fingerprint), fingerprint, reused: true, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      // A damaged store (truncated file, edited header) is computed again, never trusted.
      o.warn?.(`${dir}: ${(err as Error).message}; computing it again`);
    }
  }
  const spec = modelSpecWithFiles(o.model);
  const adapter = loadPeftAdapter(o.adapter, spec);
  const records = typeof o.data === 'string' ? readAttributionRecords(o.data) : o.data;
  const tok = Tokenizer.fromModelDir(o.model);
  const ids = modelSpecialIds(o.model);
  const gm = loadGradientModel(o.model, adapter);
  computeRecordGradientStore(gm.model, tok, records, {
    kPerLayer: o.kPerLayer, seed: o.seed, seq: Math.min(o.seq, spec.maxPositions), outDir: dir, layout: gm.layout, fingerprint, eosId: ids.eos[0] ?? null, padId: ids.pad,
    lrWeight: o.lrWeight ?? 1,
    onProgress: (done, total) => {
      if (o.cancelled?.()) throw new Error(`cancelled after ${done} of ${total} records; nothing was written`);
      o.progress?.(done, total);
    },
  });
  return { store: openRecordGradientStore(dir, fingerprint), fingerprint, reused: false, seconds: (performance.now() - t0) / 1000 };
}
