// Retrieval metrics over the rank at which the right item (the planted record, or its
// contributor) came back for each question: Recall@k is the fraction of questions with the right
// item in the top k, MRR the mean of 1/rank. A question whose right item was not returned at all
// (rank null) counts as a miss for every k and adds 0 to MRR, so a scorer cannot look better by
// returning fewer items.

export interface RetrievalMetrics {
  /** How many questions the figures are over. */
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
}

/** `ranks[i]` is the 1-based position of question i's right item, or null when it was not ranked. */
export function retrievalMetrics(ranks: readonly (number | null)[]): RetrievalMetrics {
  for (const r of ranks) if (r !== null && (!Number.isInteger(r) || r < 1)) throw new RangeError(`a rank is a whole number >= 1 or null, not ${r}`);
  const n = ranks.length;
  const within = (k: number) => (n === 0 ? 0 : ranks.filter((r) => r !== null && r <= k).length / n);
  const mrr = n === 0 ? 0 : ranks.reduce<number>((s, r) => s + (r === null ? 0 : 1 / r), 0) / n;
  return { questions: n, recallAt1: within(1), recallAt5: within(5), mrr };
}

/**
 * The 1-based rank of `target` in `ranked` (highest score first), or null when absent. Ties are
 * counted pessimistically: an item tied with the target and listed before it still outranks it,
 * and so does one tied after it, because the order among equals is the scorer's accident.
 */
export function rankOf<T>(ranked: readonly { id: T; score: number }[], target: T): number | null {
  const at = ranked.findIndex((r) => r.id === target);
  if (at < 0) return null;
  const score = ranked[at]!.score;
  return ranked.filter((r) => r.score > score).length + ranked.filter((r) => r.score === score).length;
}
