import type { Xoshiro128 } from '../engine/sampling/Xoshiro128';

/** How several same-shaped tensors (one per parent) become one; PEFT's names. */
export type TaskMergeMethod = 'linear' | 'ties' | 'dare_linear' | 'dare_ties';

export interface TaskMergeOptions {
  /** Fraction of each tensor's entries kept, in (0, 1]; ties and the dare methods only. */
  density: number;
  /** Draws the dare methods' drops; consumed in the caller's order, so a seed repeats a merge. */
  rng: Xoshiro128;
}

/**
 * TIES' trim step: keeps the k = floor(density * n) entries of largest magnitude and zeroes the
 * rest (equal magnitudes: the earlier index is kept, so the result does not depend on a sort's
 * whims). Density 1 keeps everything.
 */
export function pruneByMagnitude(t: Float32Array, density: number): Float32Array {
  if (density >= 1) return Float32Array.from(t);
  const k = Math.floor(density * t.length);
  const order = Array.from(t.keys()).sort((i, j) => Math.abs(t[j]!) - Math.abs(t[i]!) || i - j);
  const out = new Float32Array(t.length);
  for (let n = 0; n < k; n++) out[order[n]!] = t[order[n]!]!;
  return out;
}

/**
 * DARE's drop: each entry kept with probability `density` (one draw per entry, in index order)
 * and the kept ones divided by density, so the expected tensor is the original. PEFT's
 * random_pruning means to rescale too (its rescale flag), as the DARE paper does.
 */
export function dropAndRescale(t: Float32Array, density: number, rng: Xoshiro128): Float32Array {
  const out = new Float32Array(t.length);
  for (let i = 0; i < t.length; i++) if (rng.nextFloat() < density) out[i] = t[i]! / density;
  return out;
}

/**
 * TIES' sign election ("total", PEFT's default): per entry, the sign of the sum over parents of
 * the (trimmed, unweighted) values; a zero sum elects +1.
 */
export function electSigns(tensors: readonly Float32Array[]): Int8Array {
  const n = tensors[0]!.length;
  const signs = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (const t of tensors) sum += t[i]!;
    signs[i] = sum >= 0 ? 1 : -1;
  }
  return signs;
}

/**
 * One tensor from the parents' tensors and their weights, as PEFT's merge_utils combines a
 * LoRA factor (lora_A or lora_B) of every adapter:
 *  - linear: sum_i w_i t_i
 *  - ties: trim each t_i by magnitude, elect a sign per entry, then per entry the mean of
 *    w_i t_i over the parents whose trimmed value has the elected sign (a disjoint mean; an entry
 *    no parent agrees on is 0)
 *  - dare_linear: drop and rescale each t_i at random, then sum_i w_i t_i
 *  - dare_ties: drop and rescale at random, then TIES' election and disjoint mean
 * The election looks at the values before weighting, as PEFT's does.
 */
export function mergeTaskTensors(tensors: readonly Float32Array[], weights: readonly number[], method: TaskMergeMethod, opts: TaskMergeOptions): Float32Array {
  const n = tensors[0]!.length;
  const kept =
    method === 'ties'
      ? tensors.map((t) => pruneByMagnitude(t, opts.density))
      : method === 'dare_linear' || method === 'dare_ties'
        ? tensors.map((t) => dropAndRescale(t, opts.density, opts.rng))
        : tensors;
  const out = new Float32Array(n);
  if (method === 'linear' || method === 'dare_linear') {
    for (let p = 0; p < kept.length; p++) for (let i = 0; i < n; i++) out[i] = out[i]! + weights[p]! * kept[p]![i]!;
    return out;
  }
  const signs = electSigns(kept);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let agreeing = 0;
    for (let p = 0; p < kept.length; p++) {
      const v = kept[p]![i]!;
      if (Math.sign(v) !== signs[i]) continue;
      sum += weights[p]! * v;
      agreeing++;
    }
    out[i] = sum / Math.max(1, agreeing);
  }
  return out;
}
