// The fast scores (per-layer DataInf preconditioner + GEMM top-k over a memory-mapped store)
// against the plain references of influenceReference.ts, on the same per-layer vectors, and the
// store's fingerprint check.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from '../../engine/test/tmpDir';
import { dataInfLambdas, dataInfPreconditioner, precondition, topRowsPerQuery } from '../influenceScores';
import { dataInfLambdasReference, dataInfReference, tracInReference } from '../influenceReference';
import { relativeInfluenceScales } from '../relativeInfluence';
import { GradientStoreMismatchError, openRecordGradientStore, writeRecordGradientStore, type RecordGradientStoreMeta } from '../recordGradientStore';

const tmp = makeTmpDir('attr-influence');
afterAll(tmp.cleanup);

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

// n records, L layers of kl values: rows side by side; layers of very different scales so a
// wrong per-layer damping or a mixed-up block shows.
function synthetic(n: number, L: number, kl: number, seed: number) {
  const r = rng(seed);
  const scale = [1, 5, 0.2, 2];
  const rows = Float32Array.from({ length: n * L * kl }, (_, i) => r() * scale[Math.floor(i / kl) % L]!);
  const layered = (v: Float32Array, at: number) => Array.from({ length: L }, (_, l) => v.subarray(at + l * kl, at + (l + 1) * kl));
  return { rows, train: Array.from({ length: n }, (_, i) => layered(rows, i * L * kl)), layered };
}

function storeOf(dir: string, rows: Float32Array, n: number, L: number, kl: number, paramsPerLayer: number[], fingerprint: string, lrWeight = 1) {
  const m = { rows: n, k: L * kl, rowsView: (a: number, b: number) => rows.subarray(a * L * kl, b * L * kl) };
  const lambdas = dataInfLambdas(m, kl, paramsPerLayer);
  const meta: RecordGradientStoreMeta = { version: 1, fingerprint, kPerLayer: kl, seed: 3, seq: 16, layers: L, paramsPerLayer, lambdas, lrWeight, records: n, skipped: [] };
  writeRecordGradientStore(dir, meta, rows, Array.from({ length: n }, (_, i) => `rec-${i}`), dataInfPreconditioner(m, kl, lambdas));
  return openRecordGradientStore(dir, fingerprint);
}

describe('DataInf and TracIn fast paths', () => {
  const n = 60, L = 3, kl = 8, d = [400, 900, 250];
  const fp = 'ab'.repeat(32);
  const { rows, train, layered } = synthetic(n, L, kl, 1);
  it('DataInf: the preconditioner + GEMM equals the closed form computed with loops', () => {
    const store = storeOf(join(tmp.dir, 'a'), rows, n, L, kl, d, fp);
    expect(store.meta.lambdas.map((x) => +x.toPrecision(5))).toEqual(dataInfLambdasReference(train, d).map((x) => +x.toPrecision(5)));
    const r = rng(9);
    const T = 3;
    const queries = Float32Array.from({ length: T * L * kl }, () => r());
    const fast = topRowsPerQuery(store, precondition(store.preconditioner, kl, queries), n);
    for (let t = 0; t < T; t++) {
      const ref = dataInfReference(train, layered(queries, t * L * kl), d);
      const positive = ref.map((s, row) => ({ row, s })).filter((x) => x.s > 0).sort((a, b) => b.s - a.s);
      expect(fast[t]!.map((x) => x.row)).toEqual(positive.map((x) => x.row));
      const top = Math.abs(positive[0]!.s);
      fast[t]!.forEach((x, i) => expect(Math.abs(x.score - positive[i]!.s) / top).toBeLessThan(1e-4));
    }
  });

  it('TracIn: the GEMM scores times the learning-rate weight equal the checkpoint sum', () => {
    const store = storeOf(join(tmp.dir, 'b'), rows, n, L, kl, d, fp, 0.003);
    const q = Float32Array.from({ length: L * kl }, rng(4));
    const fast = topRowsPerQuery(store, q, 5, store.meta.lrWeight)[0]!;
    const ref = tracInReference([{ lr: 0.003, train, test: layered(q, 0) }]);
    const best = ref.map((s, row) => ({ row, s })).sort((a, b) => b.s - a.s).slice(0, 5);
    expect(fast.map((x) => x.row)).toEqual(best.map((x) => x.row));
    fast.forEach((x, i) => expect(Math.abs(x.score - best[i]!.s)).toBeLessThan(1e-5 * Math.abs(best[0]!.s)));
  });

  it('relative influence: each record\'s score divided by the square root of its own self-influence (loop reference)', () => {
    const store = storeOf(join(tmp.dir, 'rel'), rows, n, L, kl, d, fp, 0.003);
    const q = Float32Array.from({ length: L * kl }, rng(11));
    for (const method of ['datainf', 'tracin'] as const) {
      const scales = relativeInfluenceScales(store, method);
      expect(relativeInfluenceScales(store, method)).toBe(scales); // cached per store
      const self = train.map((g, k) => (method === 'datainf' ? dataInfReference(train, g, d)[k]! : tracInReference([{ lr: 1, train, test: g }])[k]!));
      self.forEach((x, k) => expect(Math.abs(scales[k]! - 1 / Math.sqrt(x)) * Math.sqrt(x)).toBeLessThan(1e-4));
      const raw = method === 'datainf' ? dataInfReference(train, layered(q, 0), d) : tracInReference([{ lr: 1, train, test: layered(q, 0) }]);
      const want = raw.map((x, k) => ({ row: k, s: x / Math.sqrt(self[k]!) })).filter((x) => x.s > 0).sort((a, b) => b.s - a.s).slice(0, 5);
      const query = method === 'datainf' ? precondition(store.preconditioner, kl, q) : q;
      const fast = topRowsPerQuery(store, query, 5, 1, scales)[0]!;
      expect(fast.map((x) => x.row)).toEqual(want.map((x) => x.row));
      fast.forEach((x, i) => expect(Math.abs(x.score - want[i]!.s)).toBeLessThan(1e-4 * Math.abs(want[0]!.s)));
    }
  });

  it('reads a store larger than one chunk (8192 rows) the same as a small one', () => {
    const big = 9000;
    const { rows: r2, train: t2 } = synthetic(big, L, kl, 5);
    const store = storeOf(join(tmp.dir, 'c'), r2, big, L, kl, d, fp);
    const q = Float32Array.from({ length: L * kl }, rng(6));
    const fast = topRowsPerQuery(store, q, 3)[0]!;
    const ref = tracInReference([{ lr: 1, train: t2, test: layered(q, 0) }]);
    const best = ref.map((s, row) => ({ row, s })).sort((a, b) => b.s - a.s).slice(0, 3);
    expect(fast.map((x) => x.row)).toEqual(best.map((x) => x.row));
  });

  it('refuses a store computed for another adapter (its fingerprint), naming the file', () => {
    storeOf(join(tmp.dir, 'd'), rows, n, L, kl, d, fp);
    expect(() => openRecordGradientStore(join(tmp.dir, 'd'), 'cd'.repeat(32))).toThrow(GradientStoreMismatchError);
    expect(() => openRecordGradientStore(join(tmp.dir, 'd'), 'cd'.repeat(32))).toThrow(/records\.sgrd: this gradient store belongs to another adapter/);
    expect(openRecordGradientStore(join(tmp.dir, 'd'), fp).ids[0]).toBe('rec-0');
  });
});
