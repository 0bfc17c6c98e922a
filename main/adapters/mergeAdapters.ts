import type { LoraAdapter, LoraPair } from '../engine/peft/LoraAdapter';
import { loraScaling } from '../engine/peft/LoraAdapter';
import { Xoshiro128 } from '../engine/sampling/Xoshiro128';
import { mergeTaskTensors, type TaskMergeMethod } from './mergeTaskTensors';

export type MergeCombination = 'cat' | TaskMergeMethod;

export interface MergeOptions {
  /** ties, dare_linear, dare_ties: the fraction of each factor's entries kept, in (0, 1]. */
  density?: number;
  /** dare_linear, dare_ties: seeds the random drops (default 0), so a merge can be repeated. */
  seed?: number;
}

/**
 * Weighted merge of LoRA adapters made on one base into a new adapter (alpha = r, so scaling 1).
 *  - 'cat' (PEFT's "cat"): the factors stacked along the rank, A = [w1 s1 A1; w2 s2 A2; ...],
 *    B = [B1 B2 ...]; its update B A is exactly sum_i w_i s_i B_i A_i. Rank = sum of ranks.
 *  - 'linear' (PEFT's "linear"): same ranks; A = sum sqrt(w_i s_i) A_i, B = sum sqrt(w_i s_i) B_i.
 *    The product then has cross terms B_i A_j: an approximation PEFT offers because it keeps the
 *    rank. Weights must be positive.
 *  - 'ties', 'dare_linear', 'dare_ties' (PEFT's): like linear, each factor (A, then B) of a module
 *    combined from the parents' same factor with weights sqrt(w_i s_i), through TIES' trim, sign
 *    election and disjoint mean, or DARE's random drop and rescale (mergeTaskTensors.ts). They need
 *    `density`; the dare methods draw from one xoshiro128 seeded by `seed`, modules in order, A
 *    before B, parents in order, entries in order.
 * A module one parent lacks contributes zeros from it. Shapes must agree module by module.
 */
export function mergeAdapters(
  parents: readonly { adapter: LoraAdapter; weight: number; name: string }[],
  combination: MergeCombination,
  opts: MergeOptions = {},
): LoraAdapter {
  if (parents.length < 2) throw new Error('merge needs at least two adapters');
  const first = parents[0]!.adapter.config;
  const mixed = combination !== 'cat';
  const density = opts.density ?? 1;
  if (combination !== 'cat' && combination !== 'linear') {
    if (opts.density === undefined) throw new Error(`${combination} merging needs a density (the fraction of entries kept, e.g. 0.5)`);
    if (!(density > 0 && density <= 1)) throw new Error(`density must be in (0, 1], not ${density}`);
  } else if (opts.density !== undefined) throw new Error(`density applies to ties, dare_linear and dare_ties, not ${combination}`);
  for (const p of parents) {
    if (p.adapter.config.fanInFanOut !== first.fanInFanOut) throw new Error(`adapter "${p.name}" has fan_in_fan_out ${p.adapter.config.fanInFanOut}, "${parents[0]!.name}" ${first.fanInFanOut}: not the same kind of base`);
    if (mixed && p.adapter.config.r !== first.r) throw new Error(`${combination} merging needs equal ranks: "${p.name}" has r=${p.adapter.config.r}, "${parents[0]!.name}" r=${first.r}; use the cat combination`);
    if (mixed && !(p.weight > 0)) throw new Error(`${combination} merging needs positive weights: "${p.name}" has ${p.weight}`);
  }
  const rng = new Xoshiro128(opts.seed ?? 0);
  // Every module's in/out widths, checked to agree across parents.
  const dims = new Map<string, { in: number; out: number }>();
  for (const p of parents) {
    for (const [m, { A, B }] of p.adapter.modules) {
      const d = { in: A.shape[1]!, out: B.shape[0]! };
      const seen = dims.get(m);
      if (seen && (seen.in !== d.in || seen.out !== d.out)) throw new Error(`module "${m}" is ${seen.in} -> ${seen.out} in one adapter and ${d.in} -> ${d.out} in "${p.name}": not the same base`);
      dims.set(m, d);
    }
  }
  const r = combination === 'cat' ? parents.reduce((n, p) => n + p.adapter.config.r, 0) : first.r;
  const modules = new Map<string, LoraPair>();
  for (const [m, d] of dims) {
    if (mixed) {
      // Every parent's factor (zeros where it lacks the module), weighted by sqrt(w s) as PEFT does.
      const factor = (which: 'A' | 'B', size: number) =>
        mergeTaskTensors(
          parents.map((p) => p.adapter.modules.get(m)?.[which].data ?? new Float32Array(size)),
          parents.map((p) => Math.sqrt(p.weight * loraScaling(p.adapter.config))),
          combination,
          { density, rng },
        );
      const A = factor('A', r * d.in);
      const B = factor('B', d.out * r);
      modules.set(m, { A: { shape: [r, d.in], data: A }, B: { shape: [d.out, r], data: B } });
      continue;
    }
    const A = new Float32Array(r * d.in);
    const B = new Float32Array(d.out * r);
    let offset = 0;
    for (const p of parents) {
      const pr = p.adapter.config.r;
      const s = loraScaling(p.adapter.config);
      const pair = p.adapter.modules.get(m);
      if (pair) {
        const f = p.weight * s;
        for (let i = 0; i < pr * d.in; i++) A[offset * d.in + i] = f * pair.A.data[i]!;
        for (let o = 0; o < d.out; o++) for (let k = 0; k < pr; k++) B[o * r + offset + k] = pair.B.data[o * pr + k]!;
      }
      offset += pr;
    }
    modules.set(m, { A: { shape: [r, d.in], data: A }, B: { shape: [d.out, r], data: B } });
  }
  const targets = [...new Set(parents.flatMap((p) => p.adapter.config.targetModules))];
  return {
    config: { r, alpha: r, useRslora: false, targetModules: targets, dropout: 0, fanInFanOut: first.fanInFanOut, baseModelNameOrPath: first.baseModelNameOrPath },
    modules,
  };
}
