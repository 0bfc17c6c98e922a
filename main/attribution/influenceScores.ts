// The fast influence scores over a record gradient store (recordGradientStore.ts), for many query
// tokens at once. DataInf's closed form (influenceReference.ts) rearranges into a per-layer matrix
// that does not depend on the query:
//   score(k) = Σ_l g_klᵀ P_l v_l,   P_l = (1/λ_l) (I − (1/n) Σ_i g_il g_ilᵀ / (λ_l + ‖g_il‖²))
// P_l is (kPerLayer × kPerLayer) in the projected space (Sherman-Morrison only needs inner
// products, which the per-layer projection preserves), built once per store by one pass of GEMMs.
// A query is then preconditioned (h = P v, tiny) and every record scored by one GEMM of the store
// with the response's (tokens × K) queries, read in chunks so the scores of 100k records × 256
// tokens never sit in memory at once; each token keeps only its top records. TracIn is the same
// GEMM without P, times the learning-rate weight.
import { loadNativeEngine } from '../engine/native/index';

/** The store as the scorer reads it: (rows, k) f32 row-major, any row range as a view. */
export interface GradientMatrix {
  rows: number;
  k: number;
  rowsView(from: number, to: number): Float32Array;
}

const CHUNK_ROWS = 8192;

/** λ_l = 0.1 · mean_i ‖g_il‖² / d_l, from the stored (projected) rows. */
export function dataInfLambdas(m: GradientMatrix, kPerLayer: number, paramsPerLayer: number[]): number[] {
  const L = paramsPerLayer.length;
  if (L * kPerLayer !== m.k) throw new RangeError(`${L} layers × ${kPerLayer} is not the store's k = ${m.k}`);
  const sums = new Float64Array(L);
  for (let a = 0; a < m.rows; a += CHUNK_ROWS) {
    const b = Math.min(m.rows, a + CHUNK_ROWS);
    const v = m.rowsView(a, b);
    for (let r = 0; r < b - a; r++) {
      for (let l = 0; l < L; l++) {
        let s = 0;
        for (let j = r * m.k + l * kPerLayer, e = j + kPerLayer; j < e; j++) s += v[j]! * v[j]!;
        sums[l]! += s;
      }
    }
  }
  return paramsPerLayer.map((d, l) => (0.1 * sums[l]!) / (Math.max(1, m.rows) * d));
}

/** (L, kPerLayer, kPerLayer) row-major: each layer's P_l. */
export function dataInfPreconditioner(m: GradientMatrix, kPerLayer: number, lambdas: number[]): Float32Array {
  const engine = loadNativeEngine();
  const L = lambdas.length, kl = kPerLayer;
  const S: Float32Array[] = lambdas.map(() => new Float32Array(kl * kl));
  for (let a = 0; a < m.rows; a += CHUNK_ROWS) {
    const b = Math.min(m.rows, a + CHUNK_ROWS);
    const v = m.rowsView(a, b);
    const n = b - a;
    for (let l = 0; l < L; l++) {
      // X's row i = g_il / sqrt(λ_l + ‖g_il‖²), so XᵀX sums the damped rank-one terms.
      const X = new Float32Array(n * kl);
      for (let r = 0; r < n; r++) {
        const at = r * m.k + l * kl;
        let s = 0;
        for (let j = 0; j < kl; j++) s += v[at + j]! * v[at + j]!;
        const w = 1 / Math.sqrt(lambdas[l]! + s);
        for (let j = 0; j < kl; j++) X[r * kl + j] = v[at + j]! * w;
      }
      S[l] = engine.gemm({ transA: true, transB: false, M: kl, N: kl, K: n, A: X, B: X, C: S[l], beta: 1 });
    }
  }
  const P = new Float32Array(L * kl * kl);
  const n = Math.max(1, m.rows);
  for (let l = 0; l < L; l++) {
    const inv = 1 / lambdas[l]!;
    for (let i = 0; i < kl; i++) {
      for (let j = 0; j < kl; j++) P[l * kl * kl + i * kl + j] = ((i === j ? 1 : 0) - S[l]![i * kl + j]! / n) * inv;
    }
  }
  return P;
}

/** (T, K) queries -> (T, K) with each layer's block multiplied by P_l. */
export function precondition(P: Float32Array, kPerLayer: number, queries: Float32Array): Float32Array {
  const kl = kPerLayer;
  const L = P.length / (kl * kl);
  const K = L * kl;
  const T = queries.length / K;
  const out = new Float32Array(queries.length);
  for (let t = 0; t < T; t++) {
    for (let l = 0; l < L; l++) {
      const q = t * K + l * kl;
      for (let i = 0; i < kl; i++) {
        let s = 0;
        const p = l * kl * kl + i * kl;
        for (let j = 0; j < kl; j++) s += P[p + j]! * queries[q + j]!;
        out[q + i] = s;
      }
    }
  }
  return out;
}

export interface ScoredRow {
  row: number;
  score: number;
}

/**
 * For each of the T query rows of `queries` (T, k): the `top` store rows with the highest
 * positive scores ⟨row, query⟩ · weight (· rowScale[row] when given), best first (ties: lower row first).
 */
export function topRowsPerQuery(m: GradientMatrix, queries: Float32Array, top: number, weight = 1, rowScale?: ArrayLike<number>): ScoredRow[][] {
  if (queries.length % m.k !== 0) throw new RangeError(`queries length ${queries.length} is not a multiple of k = ${m.k}`);
  const T = queries.length / m.k;
  const engine = loadNativeEngine();
  const best: ScoredRow[][] = Array.from({ length: T }, () => []);
  const floor = new Float64Array(T); // a score must beat this to enter (0 until the list is full)
  for (let a = 0; a < m.rows && T > 0; a += CHUNK_ROWS) {
    const b = Math.min(m.rows, a + CHUNK_ROWS);
    const C = engine.gemm({ transA: false, transB: true, M: b - a, N: T, K: m.k, A: m.rowsView(a, b), B: queries });
    for (let r = 0; r < b - a; r++) {
      const w = rowScale ? weight * rowScale[a + r]! : weight;
      for (let t = 0; t < T; t++) {
        const s = C[r * T + t]! * w;
        if (s <= floor[t]!) continue;
        const list = best[t]!;
        list.push({ row: a + r, score: s });
        if (list.length > top) {
          list.sort((x, y) => y.score - x.score || x.row - y.row);
          list.length = top;
          floor[t] = list[top - 1]!.score;
        }
      }
    }
  }
  for (const list of best) list.sort((x, y) => y.score - x.score || x.row - y.row);
  return best;
}
