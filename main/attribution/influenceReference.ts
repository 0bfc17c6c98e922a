// Slow, plain references for the influence scores (explicit loops in float64, straight from the
// formulas), against which the fast paths (influenceScores.ts) are tested. Gradients are given per
// layer: train[i][l] is record i's gradient on layer l, test[l] the query's (full or projected).
//
// DataInf (Kwon et al., "DataInf: Efficiently Estimating Data Influence in LoRA-tuned LLMs and
// Diffusion Models", 2023): with the per-layer damped Gauss-Newton matrix G_l + λ_l·I replaced by
// the average of the per-example rank-one terms, each inverted by Sherman-Morrison,
//   (g gᵀ + λ I)⁻¹ = (1/λ)(I − g gᵀ / (λ + gᵀg)),
// the influence of record k on the query is
//   I(k) = −Σ_l (1/λ_l) [ vₗᵀg_kl − (1/n) Σ_i (vₗᵀg_il)(g_ilᵀg_kl) / (λ_l + g_ilᵀg_il) ]
// where v_l is the query's loss gradient, and the paper's damping is
//   λ_l = 0.1 · (n·d_l)⁻¹ Σ_i g_ilᵀg_il   (d_l: the layer's parameter count).
// I(k) < 0 means up-weighting k lowers the query's loss; we report the helpful direction,
// score(k) = −I(k), so that a record that taught the token scores high.
//
// TracIn (Pruthi et al., 2020): score(k) = Σ_c lr_c · ⟨g_kc, v_c⟩ over saved checkpoints c.

export type LayerGrads = ArrayLike<number>[];

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += a[j]! * b[j]!;
  return s;
}

/** λ_l per layer: 0.1 · mean over records of ‖g_il‖² / d_l. */
export function dataInfLambdasReference(train: LayerGrads[], paramsPerLayer: number[]): number[] {
  return paramsPerLayer.map((d, l) => {
    let s = 0;
    for (const g of train) s += dot(g[l]!, g[l]!);
    return (0.1 * s) / (train.length * d);
  });
}

/** score(k) = −I_DataInf(k) for every training record k. */
export function dataInfReference(train: LayerGrads[], test: LayerGrads, paramsPerLayer: number[], lambdas = dataInfLambdasReference(train, paramsPerLayer)): number[] {
  const n = train.length;
  return train.map((gk) => {
    let score = 0;
    for (let l = 0; l < paramsPerLayer.length; l++) {
      const lam = lambdas[l]!;
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const gi = train[i]![l]!;
        sum += (dot(test[l]!, gi) * dot(gi, gk[l]!)) / (lam + dot(gi, gi));
      }
      score += (dot(test[l]!, gk[l]!) - sum / n) / lam;
    }
    return score;
  });
}

/** score(k) = Σ_c lr_c · Σ_l ⟨g_kl, v_l⟩ at checkpoint c. */
export function tracInReference(checkpoints: { lr: number; train: LayerGrads[]; test: LayerGrads }[]): number[] {
  const n = checkpoints[0]?.train.length ?? 0;
  const out = new Array<number>(n).fill(0);
  for (const c of checkpoints) {
    for (let k = 0; k < n; k++) {
      for (let l = 0; l < c.test.length; l++) out[k]! += c.lr * dot(c.train[k]![l]!, c.test[l]!);
    }
  }
  return out;
}
