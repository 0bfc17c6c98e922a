// Corrupted records for the self-influence check: a seeded share of the background records get
// their words shuffled (the text keeps its vocabulary and length, loses its order, so the
// model cannot predict it from anything else it learnt). The source id and contributor stay, as
// with a bad submission.
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';
import type { EvalRecord } from './plantFacts';

export function corruptRecords(records: readonly EvalRecord[], fraction: number, seed: number): { records: EvalRecord[]; corrupted: Set<string> } {
  const rng = new Xoshiro128(seed ^ 0x5eed);
  const count = Math.max(2, Math.round(records.length * fraction));
  const order = records.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = new Set(order.slice(0, Math.min(count, records.length)));
  const corrupted = new Set<string>();
  const out = records.map((r, i) => {
    if (!chosen.has(i)) return r;
    const words = r.text.split(' ');
    for (let a = words.length - 1; a > 0; a--) {
      const b = rng.nextU32() % (a + 1);
      [words[a], words[b]] = [words[b]!, words[a]!];
    }
    corrupted.add(r.sourceId);
    return { ...r, text: words.join(' ') };
  });
  return { records: out, corrupted };
}
