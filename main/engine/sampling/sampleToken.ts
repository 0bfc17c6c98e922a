// Picks the next token from one position's logits with transformers' generate() semantics:
// repetition penalty first (positive logits divided, negative multiplied), then temperature,
// top-k (ties with the k-th kept), top-p (drop the low tail whose mass is <= 1 - top_p, always
// keeping the most likely token). temperature 0 (or undefined) is greedy: the argmax after the
// repetition penalty, top-k and top-p not applied (generate()'s do_sample=False). The reported logprob
// and alternatives are natural-log probabilities under the UNMODIFIED model distribution.
//
// This runs once per generated token over the whole vocabulary (50k-150k entries), so nothing
// here sorts the vocabulary: top-k finds its threshold by selection, top-p sorts only the head
// it keeps (test/referenceSampling.ts is the plain sort-everything version the tests compare to).
import quickselect from 'quickselect';
import type { Xoshiro128 } from './Xoshiro128';

export interface SamplingParams {
  temperature?: number;
  topK?: number;
  topP?: number;
  repetitionPenalty?: number;
  /** How many top alternatives to report (default 5). */
  topAlternatives?: number;
}

export interface TokenChoice {
  id: number;
  /** ln p(id) under the raw logits' softmax. */
  logprob: number;
  /** The most likely tokens under the raw distribution, best first. */
  top: { id: number; logprob: number }[];
}

type Logits = Float32Array | Float64Array | readonly number[];

/** ln Σ exp(x), computed stably in float64 (-Infinity when every entry is -Infinity). */
export function logSumExp(logits: Logits): number {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]!);
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += Math.exp(logits[i]! - m);
  return m + Math.log(s);
}

/** ln softmax(logits), computed stably in float64. */
export function logSoftmax(logits: Logits): Float64Array {
  const lse = logSumExp(logits);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! - lse;
  return out;
}

/** The processed scores generate() samples from; -Infinity marks removed tokens. */
export function processLogits(logits: Logits, params: SamplingParams, previousIds: readonly number[]): Float64Array {
  const scores = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) scores[i] = logits[i]!;
  checkParams(params);
  const penalty = params.repetitionPenalty ?? 1;
  if (penalty !== 1) {
    for (const id of new Set(previousIds)) {
      const v = scores[id];
      if (v === undefined) continue;
      scores[id] = v < 0 ? v * penalty : v / penalty;
    }
  }
  const temperature = params.temperature ?? 0;
  if (temperature > 0 && temperature !== 1) for (let i = 0; i < scores.length; i++) scores[i]! /= temperature;
  const k = params.topK ?? 0;
  if (k > 0 && k < scores.length) {
    const kth = kthLargest(scores, k);
    for (let i = 0; i < scores.length; i++) if (scores[i]! < kth) scores[i] = -Infinity;
  }
  const p = params.topP ?? 1;
  if (p < 1) keepTopP(scores, p);
  return scores;
}

function checkParams(params: SamplingParams): void {
  const penalty = params.repetitionPenalty ?? 1;
  if (!(penalty > 0)) throw new Error(`repetitionPenalty must be positive, got ${penalty}`);
  const p = params.topP ?? 1;
  if (!(p > 0)) throw new Error(`topP must be in (0, 1], got ${p}`);
}

/** The k-th largest value (1-based), by selection on a copy: O(n), where sorting is O(n log n). */
function kthLargest(values: Float64Array, k: number): number {
  const copy = values.slice();
  quickselect(copy as unknown as number[], copy.length - k);
  return copy[copy.length - k]!;
}

/**
 * Top-p over `scores` in place. The reference walks the whole vocabulary in ascending order and
 * removes tokens while the cumulative mass is <= 1 - p. The same set, read from the top: the j-th
 * best token is removed when the mass at or below it, total - (mass of the j better ones), is
 * <= 1 - p (never the best one). Masses depend only on the values, so finding the cut needs the
 * head's values in order, not its ids: this sorts the best m values natively (m = 64, 512, ...
 * until the cut falls inside them). Ties at the cut are then resolved as the ascending walk does:
 * lower ids go first, so the highest ids among equal scores stay.
 */
function keepTopP(scores: Float64Array, p: number): void {
  const lse = logSumExp(scores);
  let total = 0;
  const finite = new Float64Array(scores.length);
  let n = 0;
  for (const s of scores) if (s !== -Infinity) finite[n++] = s;
  for (let i = 0; i < n; i++) total += Math.exp(finite[i]! - lse);
  // No token weighs more than the best one, so the kept head has at least p / pMax tokens: a flat
  // distribution goes straight to sorting everything instead of widening round by round.
  let best = -Infinity;
  for (let i = 0; i < n; i++) best = Math.max(best, finite[i]!);
  const atLeast = Math.ceil(p / Math.exp(best - lse));
  for (let m = Math.max(64, 2 * atLeast); ; m *= 4) {
    const whole = m >= n;
    let head: Float64Array;
    if (whole) {
      head = finite.slice(0, n);
    } else {
      const least = kthLargest(finite.subarray(0, n), m);
      let h = 0;
      head = new Float64Array(m + 16);
      for (let i = 0; i < n; i++) {
        const s = finite[i]!;
        if (s < least) continue;
        if (h === head.length) head = growTo(head, 2 * h);
        head[h++] = s;
      }
      head = head.subarray(0, h);
    }
    head.sort();
    let above = 0;
    let cut = -1;
    for (let r = head.length - 1, j = 0; r >= 0; r--, j++) {
      if (j > 0 && total - above <= 1 - p) {
        cut = j;
        break;
      }
      above += Math.exp(head[r]! - lse);
    }
    if (cut < 0 && !whole) continue; // the cut is further down: widen the head
    if (cut < 0) return; // every finite token stays
    const lowest = head[head.length - cut]!;
    let ties = cut;
    for (const s of scores) if (s > lowest) ties--;
    for (let i = scores.length - 1; i >= 0; i--) {
      const s = scores[i]!;
      if (s > lowest) continue;
      if (s === lowest && ties > 0) ties--;
      else scores[i] = -Infinity;
    }
    return;
  }
}

function growTo(a: Float64Array, size: number): Float64Array {
  const b = new Float64Array(size);
  b.set(a);
  return b;
}

/** The n best entries of `values` (higher first, ties by lower id), as (id, value) pairs. */
function topEntries(values: Logits, n: number): { id: number; value: number }[] {
  // No alternatives asked for (OpenAI requests without logprobs): best[-1] below would not exist.
  if (n <= 0) return [];
  const best: { id: number; value: number }[] = [];
  for (let id = 0; id < values.length; id++) {
    const v = values[id]!;
    if (best.length < n || v > best[best.length - 1]!.value) {
      best.push({ id, value: v });
      best.sort((a, b) => b.value - a.value || a.id - b.id);
      if (best.length > n) best.pop();
    }
  }
  return best;
}

export function sampleToken(logits: Logits, params: SamplingParams, rng: Xoshiro128 | null, previousIds: readonly number[] = []): TokenChoice {
  if (logits.length === 0) throw new Error('no logits to sample from');
  checkParams(params);
  for (let i = 0; i < logits.length; i++) if (Number.isNaN(logits[i])) throw new Error(`the model produced a NaN logit (token id ${i})`);
  // ln p(i) = logits[i] - lse: no vocabulary-sized array for the raw distribution.
  const lse = logSumExp(logits);
  const greedy = !(params.temperature && params.temperature > 0);
  let id: number;
  if (greedy) {
    // As generate() with do_sample=False: top-k / top-p only shape sampling; the argmax (first
    // of equal maxima) is taken after the repetition penalty alone.
    const penalty = params.repetitionPenalty ?? 1;
    id = argmax(penalty === 1 ? logits : processLogits(logits, { repetitionPenalty: penalty }, previousIds));
  } else {
    const scores = processLogits(logits, params, previousIds);
    if (!rng) throw new Error('sampling with temperature > 0 needs a seeded RNG');
    const s = scores;
    const slse = logSumExp(s);
    const u = rng.nextFloat();
    let cum = 0;
    id = -1;
    for (let i = 0; i < s.length; i++) {
      const pi = Math.exp(s[i]! - slse);
      if (pi === 0) continue;
      id = i;
      cum += pi;
      if (u < cum) break;
    }
  }
  const top = topEntries(logits, params.topAlternatives ?? 5).map((e) => ({ id: e.id, logprob: e.value - lse }));
  return { id, logprob: logits[id]! - lse, top };
}

function argmax(x: Logits): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}
