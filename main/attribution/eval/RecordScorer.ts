// What the evaluation asks of an attribution method: given the prompt and the model's
// completion, the datanet's records ranked by how much they shaped the completion, and the
// contributors ranked likewise. The tool's attribution (attribution.attribute's
// ResponseAttribution, through rankingFromAttribution) and the BM25 baseline both take this
// shape, so every metric is computed the same way for both.

export interface RankedRecords {
  /** Highest score first; ids are datanet source ids. */
  records: { id: string; score: number }[];
  /** Highest first; ids are contributor addresses as stored (EIP-55). */
  contributors: { id: string; score: number }[];
}

export type RecordScorer = (prompt: string, completion: string) => Promise<RankedRecords>;

/**
 * A contributor's score is their best record's: summing would favour whoever gave most
 * records, which says nothing about whose record shaped this answer.
 */
export function contributorsByBestRecord(records: readonly { id: string; score: number }[], contributorOf: (id: string) => string): { id: string; score: number }[] {
  const best = new Map<string, number>();
  for (const r of records) {
    const c = contributorOf(r.id);
    best.set(c, Math.max(best.get(c) ?? Number.NEGATIVE_INFINITY, r.score));
  }
  return [...best].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
