// Relative influence (Barshan, Brunet and Dziugaite, "RelatIF", AISTATS 2020): a record's
// influence on a query divided by the square root of its self-influence. Raw influence favours
// records with large gradients, which are the ones the model fits worst (noisy, corrupted or
// unusual records: the very ones self-influence flags), so they top every query's list whatever
// the query asks. Dividing by √(self-influence) keeps the direction (which record's update moves
// this token) and drops the size; for TracIn it is cosine similarity up to the query's norm.
import { precondition } from './influenceScores';
import type { RecordGradientStore } from './recordGradientStore';

const cache = new WeakMap<RecordGradientStore, { datainf?: Float32Array; tracin?: Float32Array }>();

/** Per store row: 1/√(g_iᵀ P g_i) for DataInf, 1/‖g_i‖ for TracIn; 0 for a zero row. Cached per opened store. */
export function relativeInfluenceScales(store: RecordGradientStore, method: 'datainf' | 'tracin'): Float32Array {
  const entry = cache.get(store) ?? {};
  cache.set(store, entry);
  const hit = entry[method];
  if (hit) return hit;
  const out = new Float32Array(store.rows);
  const K = store.k;
  const CHUNK = 4096;
  for (let a = 0; a < store.rows; a += CHUNK) {
    const b = Math.min(store.rows, a + CHUNK);
    const rows = store.rowsView(a, b);
    const pre = method === 'datainf' ? precondition(store.preconditioner, store.meta.kPerLayer, rows) : rows;
    for (let r = 0; r < b - a; r++) {
      let s = 0;
      for (let j = r * K, e = j + K; j < e; j++) s += rows[j]! * pre[j]!;
      out[a + r] = s > 0 ? 1 / Math.sqrt(s) : 0;
    }
  }
  entry[method] = out;
  return out;
}
