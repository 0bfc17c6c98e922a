// Which of a datanet's records the evaluation's copy takes as background: a seeded random sample,
// not the first N. A datanet's own order is often by time or by source (the demo datanet is in
// year order, so its first 200 passages are two presidents' speeches): a prefix would plant the
// facts among a few contributors only and make "whose data?" easier than the datanet is.
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';
import type { EvalRecord } from './plantFacts';

/** `count` records (all when fewer), drawn by a Fisher-Yates shuffle seeded with `seed`. */
export function sampleBackground(records: readonly EvalRecord[], count: number, seed: number): EvalRecord[] {
  const out = [...records];
  const rng = new Xoshiro128((seed ^ 0xb4c6) >>> 0);
  const n = Math.min(count, out.length);
  // Only the first n places need drawing (a partial shuffle is still uniform).
  for (let i = 0; i < n; i++) {
    const j = i + (rng.nextU32() % (out.length - i));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out.slice(0, n);
}
