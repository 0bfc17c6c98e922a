// The projected LoRA gradient of every training example of a JSONL file, for a model that
// already carries the adapter (native addLora + setLoraTensors), written as a gradient store
// (gradientStoreFormat.ts) in a given folder. Examples are tokenized and packed exactly as
// training does (tokenizeRecord, makeTrainBatch), so row i is the gradient of the loss training
// optimised on record i. Row ids are the records' 1-based JSONL line numbers.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tokenizer } from '../tokenizer/Tokenizer';
import { parseTrainingRecords } from '../training/readTrainingRecords';
import { tokenizeRecord } from '../training/tokenizeRecord';
import { makeTrainBatch } from '../training/makeTrainBatch';
import { writeGradientStore } from './writeGradientStore';
import type { GradientDtype } from './gradientStoreFormat';

/** The native model calls used (NativeModel after addLora). */
export interface ExampleGradientModel {
  projectedExampleGrads(o: { tokens: Int32Array; targets: Int32Array; mask?: Float32Array; batch: number; seq: number; dim: number; seed?: number }): Float32Array;
}

export interface ComputeExampleGradientStoreOptions {
  /** training data (JSONL: {"text"} or {"prompt","response"} per line) */
  data: string;
  /** folder to write into (created if missing) */
  outDir: string;
  /** file name inside outDir; default 'examples.sgrd' */
  fileName?: string;
  /** projection dimension k */
  dim: number;
  /** projection seed */
  seed: number;
  /** tokens per example (longer records are truncated, as in training) */
  seq: number;
  eosId: number | null;
  padId: number;
  /** examples per engine call; default 8 (memory, not results: rows do not depend on it) */
  batch?: number;
  dtype?: GradientDtype;
  /** sha256 (hex) identifying the model + adapter the gradients belong to */
  fingerprint: string;
}

export interface ExampleGradientStoreResult {
  path: string;
  rows: number;
  k: number;
}

export function computeExampleGradientStore(model: ExampleGradientModel, tok: Tokenizer, o: ComputeExampleGradientStoreOptions): ExampleGradientStoreResult {
  const text = readFileSync(o.data, 'utf8');
  const records = parseTrainingRecords(text, o.data);
  const lines: string[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() !== '') lines.push(String(i + 1));
  });
  const chunk = o.batch ?? 8;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError('computeExampleGradientStore: batch must be a positive integer');
  const matrix = new Float32Array(records.length * o.dim);
  for (let at = 0; at < records.length; at += chunk) {
    const rows = records.slice(at, at + chunk).map((r) => tokenizeRecord(tok, r, o.eosId));
    const b = makeTrainBatch(rows, o.seq, o.padId);
    const g = model.projectedExampleGrads({ ...b, dim: o.dim, seed: o.seed });
    if (g.length !== rows.length * o.dim) throw new Error(`projectedExampleGrads returned ${g.length} values for ${rows.length} x ${o.dim}`);
    matrix.set(g, at * o.dim);
  }
  mkdirSync(o.outDir, { recursive: true });
  const path = join(o.outDir, o.fileName ?? 'examples.sgrd');
  writeGradientStore(path, { matrix, k: o.dim, ids: lines, dtype: o.dtype, seed: o.seed, fingerprint: o.fingerprint });
  return { path, rows: records.length, k: o.dim };
}
