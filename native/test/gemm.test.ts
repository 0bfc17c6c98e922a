import { afterAll, describe, expect, it } from 'vitest';
import { bitsEqual, engine, maxAbsDiff } from './helpers/engine.js';
import { randn, rng } from './helpers/tinyModels.js';
import type { GemmOptions } from '../../main/engine/native/index.js';

// The optimised GEMM against the plain triple loop (accumulating in f64). Tolerance: f32 sums of
// K products of values ~N(0,1) drift by about sqrt(K) * 2^-24 * |terms|; 1e-5 * K bounds it.
describe('gemm', () => {
  const threads = engine.getThreads();
  afterAll(() => engine.setThreads(threads));
  const r = rng(11);
  const shapes: [number, number, number][] = [[1, 1, 1], [7, 13, 5], [37, 71, 300], [100, 33, 513], [3, 200, 17], [130, 40, 64]];
  for (const kernel of engine.gemmKernels() as NonNullable<GemmOptions['kernel']>[]) {
    it(`${kernel} equals the reference for every transpose, alpha and beta`, () => {
      for (const [M, N, K] of shapes)
        for (const transA of [false, true])
          for (const transB of [false, true]) {
            const A = randn(r, M * K, 1), B = randn(r, K * N, 1), C = randn(r, M * N, 1);
            const o = { transA, transB, M, N, K, alpha: 0.75, beta: 0.5, A, B, C };
            const ref = engine.gemm({ ...o, kernel: 'reference' });
            const got = engine.gemm({ ...o, kernel });
            expect(maxAbsDiff(got, ref)).toBeLessThan(1e-5 * K + 1e-6);
            const got0 = engine.gemm({ ...o, beta: 0, kernel });
            expect(maxAbsDiff(got0, engine.gemm({ ...o, beta: 0, kernel: 'reference' }))).toBeLessThan(1e-5 * K + 1e-6);
          }
    });
  }

  it('decodes a few rows (small-M path) bit-identically to the same rows inside a batch, for every kernel', () => {
    const M = 40, N = 300, K = 600; // K > 256: several k-blocks
    const A = randn(r, M * K, 1), B = randn(r, N * K, 1), C = randn(r, M * N, 1);
    for (const kernel of engine.gemmKernels() as NonNullable<GemmOptions['kernel']>[])
      for (const [beta, transB] of [[0, true], [1, true], [0.5, true], [0, false], [0.5, false]] as const) {
        // transB: a weight (decoding's linear layers); not transB: attention's P·V over the cache
        const o = { transA: false, transB, N, K, alpha: 0.7, beta, B, kernel };
        const all = engine.gemm({ ...o, M, A, C });
        for (const [row, m] of [[3, 1], [10, 2], [36, 4]] as const) {
          const part = engine.gemm({ ...o, M: m, A: A.subarray(row * K, (row + m) * K), C: C.subarray(row * N, (row + m) * N) });
          expect(bitsEqual(part, all.subarray(row * N, (row + m) * N)), `${kernel} beta ${beta} transB ${transB} rows ${row}+${m}`).toBe(true);
          expect(maxAbsDiff(part, engine.gemm({ ...o, M: m, A: A.subarray(row * K, (row + m) * K), C: C.subarray(row * N, (row + m) * N), kernel: 'reference' }))).toBeLessThan(1e-5 * K);
        }
      }
  });

  it('gives the same bits on 1 and 2 threads, and a row alone equals the row in a batch', () => {
    const M = 300, N = 500, K = 700;
    const A = randn(r, M * K, 1), B = randn(r, K * N, 1);
    engine.setThreads(1);
    const one = engine.gemm({ transA: false, transB: true, M, N, K, A, B });
    engine.setThreads(2);
    const two = engine.gemm({ transA: false, transB: true, M, N, K, A, B });
    expect(bitsEqual(one, two)).toBe(true);
    const row = engine.gemm({ transA: false, transB: true, M: 1, N, K, A: A.subarray(5 * K, 6 * K), B });
    expect(bitsEqual(row, two.subarray(5 * N, 6 * N))).toBe(true);
  });
});
