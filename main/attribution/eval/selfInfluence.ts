// Self-influence of each record in a gradient store: how much training on the record moves its
// own loss. Records the model cannot fit from the rest of the data (shuffled words, wrong labels)
// keep large gradients after training, so they score high; a curator inspects the top of the
// list first. Two scores, both from the stored (projected) rows g_i:
// - gradient norm: ‖g_i‖², the store's row norm (TracIn's self-influence up to the lr weight);
// - DataInf: Σ_l g_ilᵀ P_l g_il, the same closed form as the attribution's scores with the record
//   as its own query (so a record the damped curvature explains scores less).
import { precondition } from '../influenceScores';
import type { RecordGradientStore } from '../recordGradientStore';

export interface SelfInfluence {
  ids: readonly string[];
  gradientNorm: Float64Array;
  dataInf: Float64Array;
}

export function selfInfluence(store: RecordGradientStore): SelfInfluence {
  const rows = store.rowsView(0, store.rows);
  const pre = precondition(store.preconditioner, store.meta.kPerLayer, rows);
  const gradientNorm = new Float64Array(store.rows);
  const dataInf = new Float64Array(store.rows);
  for (let r = 0; r < store.rows; r++) {
    let n = 0;
    let d = 0;
    for (let j = r * store.k, e = j + store.k; j < e; j++) {
      n += rows[j]! * rows[j]!;
      d += rows[j]! * pre[j]!;
    }
    gradientNorm[r] = n;
    dataInf[r] = d;
  }
  return { ids: store.ids, gradientNorm, dataInf };
}
