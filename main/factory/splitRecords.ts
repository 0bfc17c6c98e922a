// The split node: which records train and which are held out for evaluation. Seeded, so the same
// pipeline on the same datanet version always holds out the same records; 'contributor' holds out
// whole contributors, so eval loss measures writing the model has not seen anyone do.
import type { Pipeline } from '../api/pipelineSchemas';
import { Xoshiro128 } from '../engine/sampling/Xoshiro128';

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const rng = new Xoshiro128(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Indexes of the records held out, in record order. */
export function evalIndexes(contributors: readonly string[], s: Pipeline['split']): Set<number> {
  const n = contributors.length;
  const want = Math.round(n * s.evalFraction);
  if (want === 0) return new Set();
  if (s.by === 'random') return new Set(shuffled([...Array(n).keys()], s.seed).slice(0, want));
  const byWho = new Map<string, number[]>();
  contributors.forEach((c, i) => byWho.set(c, [...(byWho.get(c) ?? []), i]));
  const held = new Set<number>();
  // Whole contributors until the share is reached; never all of them (training needs records).
  const order = shuffled([...byWho.keys()].sort(), s.seed);
  for (const who of order.slice(0, Math.max(0, order.length - 1))) {
    if (held.size >= want) break;
    for (const i of byWho.get(who)!) held.add(i);
  }
  return held;
}

export function splitRecords<T>(records: readonly T[], contributors: readonly string[], s: Pipeline['split']): { train: T[]; eval: T[] } {
  const held = evalIndexes(contributors, s);
  return { train: records.filter((_, i) => !held.has(i)), eval: records.filter((_, i) => held.has(i)) };
}
