// The plain version of sampleToken.ts that the tests hold it to: every step spelled out over the
// whole vocabulary (a full-vocabulary sort for top-k, an ascending walk over all tokens for top-p),
// as transformers' generate() describes them. Too slow to run per token (15-20 ms at a 50k
// vocabulary), obvious enough to trust.
import type { Xoshiro128 } from '../Xoshiro128';
import type { SamplingParams, TokenChoice } from '../sampleToken';

type Logits = Float32Array | Float64Array | readonly number[];

/** ln softmax(logits), computed stably in float64. */
function logSoftmax(logits: Logits): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < logits.length; i++) m = Math.max(m, logits[i]!);
  let s = 0;
  for (let i = 0; i < logits.length; i++) s += Math.exp(logits[i]! - m);
  const lse = m + Math.log(s);
  const out = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) out[i] = logits[i]! - lse;
  return out;
}

/** The processed scores generate() samples from; -Infinity marks removed tokens. */
export function referenceProcessLogits(logits: Logits, params: SamplingParams, previousIds: readonly number[]): Float64Array {
  const scores = Float64Array.from(logits as ArrayLike<number>);
  const penalty = params.repetitionPenalty ?? 1;
  if (penalty <= 0) throw new Error(`repetitionPenalty must be positive, got ${penalty}`);
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
    const kth = [...scores].sort((a, b) => b - a)[k - 1]!;
    for (let i = 0; i < scores.length; i++) if (scores[i]! < kth) scores[i] = -Infinity;
  }
  const p = params.topP ?? 1;
  if (p < 1) {
    if (p <= 0) throw new Error(`topP must be in (0, 1], got ${p}`);
    const probs = Array.from(logSoftmax(scores), Math.exp);
    // Ascending by score; stable so equal scores keep id order as torch.sort does on CPU.
    const order = [...scores.keys()].sort((a, b) => scores[a]! - scores[b]! || a - b);
    let cum = 0;
    for (let r = 0; r < order.length - 1; r++) {
      const id = order[r]!;
      cum += probs[id]!;
      if (cum <= 1 - p) scores[id] = -Infinity;
      else break;
    }
  }
  return scores;
}

function topAlternatives(logprobs: Float64Array, n: number): { id: number; logprob: number }[] {
  const best: { id: number; logprob: number }[] = [];
  for (let id = 0; id < logprobs.length; id++) {
    const lp = logprobs[id]!;
    if (best.length < n || lp > best[best.length - 1]!.logprob) {
      best.push({ id, logprob: lp });
      best.sort((a, b) => b.logprob - a.logprob || a.id - b.id);
      if (best.length > n) best.pop();
    }
  }
  return best;
}

export function referenceSampleToken(logits: Logits, params: SamplingParams, rng: Xoshiro128 | null, previousIds: readonly number[] = []): TokenChoice {
  if (logits.length === 0) throw new Error('no logits to sample from');
  const raw = logSoftmax(logits);
  const greedy = !(params.temperature && params.temperature > 0);
  // Greedy: the argmax after the repetition penalty only (top-k / top-p shape sampling).
  const scores = referenceProcessLogits(logits, greedy ? { ...params, topK: 0, topP: 1 } : params, previousIds);
  let id: number;
  if (greedy) {
    id = argmax(scores);
  } else {
    if (!rng) throw new Error('sampling with temperature > 0 needs a seeded RNG');
    const probs = logSoftmax(scores);
    const u = rng.nextFloat();
    let cum = 0;
    id = -1;
    for (let i = 0; i < probs.length; i++) {
      const pi = Math.exp(probs[i]!);
      if (pi === 0) continue;
      id = i;
      cum += pi;
      if (u < cum) break;
    }
  }
  return { id, logprob: raw[id]!, top: topAlternatives(raw, params.topAlternatives ?? 5) };
}

function argmax(x: Float64Array): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}
