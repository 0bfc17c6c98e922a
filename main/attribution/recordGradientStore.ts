// A per-adapter store of the training records' projected LoRA gradients, computed once per
// adapter: a folder holding
//   records.sgrd  one row per record (k = layers × kPerLayer, per-layer projections side by side,
//                 loraLayerLayout.ts), row ids = the records' source ids
//   datainf.sgrd  DataInf's per-layer preconditioners P_l (influenceScores.ts) as layers·kPerLayer
//                 rows of kPerLayer, so a query costs one pass over records.sgrd
//   store.json    the settings, d_l and λ_l per layer, the TracIn learning-rate weight
// Both .sgrd headers and store.json carry the fingerprint (gradientStoreFingerprint): the adapter's
// file hashes, the base model and the projection settings. Opening with another fingerprint is
// refused, so a store is never scored against an adapter it was not computed for.
//
// TracIn sums over saved checkpoints, but training keeps only its latest checkpoint (runTraining's
// checkpoint/ is overwritten) and the final adapter: the store holds the final adapter's gradients
// and TracIn is computed over that one checkpoint, weighted by the run's mean learning rate.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNativeEngine } from '../engine/native/index';
import { parseGradientStoreHeader, parseGradientStoreIds } from '../engine/attribution/gradientStoreFormat';
import { writeGradientStore } from '../engine/attribution/writeGradientStore';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import type { TrainingRecord } from '../engine/training/readTrainingRecords';
import { tokenizeRecord } from '../engine/training/tokenizeRecord';
import { makeTrainBatch } from '../engine/training/makeTrainBatch';
import { projectByLayer, type LoraLayerLayout } from './loraLayerLayout';
import type { GradientModel } from './tokenGradients';
import { dataInfLambdas, dataInfPreconditioner, type GradientMatrix } from './influenceScores';

export const RECORD_GRADIENT_STORE_VERSION = 1;
const RECORDS_FILE = 'records.sgrd';
const DATAINF_FILE = 'datainf.sgrd';
const META_FILE = 'store.json';

export interface ProjectionSettings {
  /** projected values per layer */
  kPerLayer: number;
  seed: number;
  /** tokens per record (longer records are truncated, as in training) */
  seq: number;
}

export interface RecordGradientStoreMeta extends ProjectionSettings {
  version: number;
  fingerprint: string;
  layers: number;
  paramsPerLayer: number[];
  lambdas: number[];
  /** TracIn's weight: the mean learning rate of the run (one checkpoint: the final adapter) */
  lrWeight: number;
  records: number;
  /** source ids of records with no trained token (no gradient, no row) */
  skipped: string[];
}

export class GradientStoreMismatchError extends Error {
  override name = 'GradientStoreMismatchError';
}

/** sha256 (hex) of what the gradients depend on: the adapter's files, the base, the projection. */
export function gradientStoreFingerprint(o: { adapterConfigSha256: string; adapterWeightsSha256: string; base: string } & ProjectionSettings): string {
  const key = { v: RECORD_GRADIENT_STORE_VERSION, config: o.adapterConfigSha256, weights: o.adapterWeightsSha256, base: o.base, kPerLayer: o.kPerLayer, seed: o.seed, seq: o.seq };
  return createHash('sha256').update(JSON.stringify(key)).digest('hex');
}

export interface ComputeRecordGradientStoreOptions extends ProjectionSettings {
  outDir: string;
  layout: LoraLayerLayout;
  fingerprint: string;
  eosId: number | null;
  padId: number;
  lrWeight?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Row i: the per-layer projected gradient of the loss training optimised on record i (tokenized and
 * truncated as training does, mean over its trained tokens, no dropout). The folder is written
 * beside and renamed into place: readers see the old store or the whole new one.
 */
export function computeRecordGradientStore(model: GradientModel, tok: Tokenizer, records: { id: string; record: TrainingRecord }[], o: ComputeRecordGradientStoreOptions): RecordGradientStoreMeta {
  const K = o.layout.layers * o.kPerLayer;
  const ids: string[] = [];
  const skipped: string[] = [];
  const matrix = new Float32Array(records.length * K);
  records.forEach(({ id, record }, i) => {
    const b = makeTrainBatch([tokenizeRecord(tok, record, o.eosId)], o.seq, o.padId);
    if (!b.mask.some((w) => w > 0)) {
      skipped.push(id);
      return;
    }
    model.zeroGrad();
    model.forwardBackward({ ...b, dropout: false });
    projectByLayer(o.layout, model.getLoraGrads(), o.kPerLayer, o.seed, matrix, ids.length * K);
    ids.push(id);
    o.onProgress?.(i + 1, records.length);
  });
  const rows = matrix.subarray(0, ids.length * K);
  const m: GradientMatrix = { rows: ids.length, k: K, rowsView: (a, b) => rows.subarray(a * K, b * K) };
  const lambdas = dataInfLambdas(m, o.kPerLayer, o.layout.paramsPerLayer);
  const P = dataInfPreconditioner(m, o.kPerLayer, lambdas);
  const meta: RecordGradientStoreMeta = {
    version: RECORD_GRADIENT_STORE_VERSION, fingerprint: o.fingerprint, kPerLayer: o.kPerLayer, seed: o.seed, seq: o.seq, layers: o.layout.layers,
    paramsPerLayer: o.layout.paramsPerLayer, lambdas, lrWeight: o.lrWeight ?? 1, records: ids.length, skipped,
  };
  writeRecordGradientStore(o.outDir, meta, rows, ids, P);
  return meta;
}

/** Writes the three files into a temporary folder and renames it over outDir. */
export function writeRecordGradientStore(outDir: string, meta: RecordGradientStoreMeta, rows: Float32Array, ids: string[], P: Float32Array): void {
  const tmp = `${outDir}.tmp-${process.pid}-${Date.now()}`;
  mkdirSync(tmp, { recursive: true });
  try {
    const K = meta.layers * meta.kPerLayer;
    writeGradientStore(join(tmp, RECORDS_FILE), { matrix: rows, k: K, ids, seed: meta.seed, fingerprint: meta.fingerprint });
    const pIds = Array.from({ length: meta.layers * meta.kPerLayer }, (_, r) => `${Math.floor(r / meta.kPerLayer)}.${r % meta.kPerLayer}`);
    writeGradientStore(join(tmp, DATAINF_FILE), { matrix: P, k: meta.kPerLayer, ids: pIds, seed: meta.seed, fingerprint: meta.fingerprint });
    writeFileSync(join(tmp, META_FILE), `${JSON.stringify(meta, null, 2)}\n`);
    rmSync(outDir, { recursive: true, force: true });
    renameSync(tmp, outDir);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export interface RecordGradientStore extends GradientMatrix {
  dir: string;
  meta: RecordGradientStoreMeta;
  ids: readonly string[];
  /** DataInf's P_l, (layers, kPerLayer, kPerLayer) */
  preconditioner: Float32Array;
}

/** Opens a store folder; refuses one whose fingerprint is not `expectedFingerprint` (or is damaged). */
export function openRecordGradientStore(dir: string, expectedFingerprint: string): RecordGradientStore {
  const metaPath = join(dir, META_FILE);
  if (!existsSync(metaPath)) throw new Error(`${dir}: not a record gradient store (no ${META_FILE})`);
  const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as RecordGradientStoreMeta;
  if (meta.version !== RECORD_GRADIENT_STORE_VERSION) throw new Error(`${metaPath}: unsupported version ${String(meta.version)}`);
  const engine = loadNativeEngine();
  const open = (file: string) => {
    const path = join(dir, file);
    const buf = engine.mapFile(path);
    const h = parseGradientStoreHeader(buf, path);
    if (h.fingerprint !== expectedFingerprint || meta.fingerprint !== expectedFingerprint) {
      throw new GradientStoreMismatchError(
        `${path}: this gradient store belongs to another adapter or projection (fingerprint ${h.fingerprint.slice(0, 12)}…, expected ${expectedFingerprint.slice(0, 12)}…); recompute it for this adapter`,
      );
    }
    if (h.dtype !== 'f32') throw new Error(`${path}: expected an f32 store, found ${h.dtype}`);
    return { buf, h, path };
  };
  const rec = open(RECORDS_FILE);
  const pre = open(DATAINF_FILE);
  const K = meta.layers * meta.kPerLayer;
  if (rec.h.k !== K || rec.h.rows !== meta.records) throw new Error(`${rec.path}: ${rec.h.rows} x ${rec.h.k} does not match ${META_FILE} (${meta.records} x ${K})`);
  if (pre.h.k !== meta.kPerLayer || pre.h.rows !== K) throw new Error(`${pre.path}: ${pre.h.rows} x ${pre.h.k} is not ${K} x ${meta.kPerLayer}`);
  const ids = parseGradientStoreIds(rec.buf, rec.h, rec.path);
  return {
    dir,
    meta,
    ids,
    rows: rec.h.rows,
    k: K,
    preconditioner: new Float32Array(pre.buf, pre.h.dataOffset, K * meta.kPerLayer),
    rowsView(a, b) {
      if (!(Number.isInteger(a) && Number.isInteger(b) && 0 <= a && a <= b && b <= rec.h.rows)) throw new RangeError(`${rec.path}: rows ${a}..${b} are outside 0..${rec.h.rows}`);
      return new Float32Array(rec.buf, rec.h.dataOffset + a * K * 4, (b - a) * K);
    },
  };
}
