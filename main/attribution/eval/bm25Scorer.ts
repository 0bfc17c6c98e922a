// The baseline scorer: BM25 over the records' text with the prompt and completion as the query
// (it reads the question as well as the answer, as a search box would).
import { Bm25Index } from './Bm25Index';
import type { EvalRecord } from './plantFacts';
import { contributorsByBestRecord, type RecordScorer } from './RecordScorer';

export function bm25Scorer(records: readonly EvalRecord[]): RecordScorer {
  const index = new Bm25Index(records.map((r) => r.text));
  const contributorOf = new Map(records.map((r) => [r.sourceId, r.contributor]));
  return async (prompt, completion) => {
    const scores = index.scores(`${prompt} ${completion}`);
    const ranked = records
      .map((r, i) => ({ id: r.sourceId, score: scores[i]! }))
      .filter((r) => r.score > 0)
      .sort((a, b) => b.score - a.score);
    return { records: ranked, contributors: contributorsByBestRecord(ranked, (id) => contributorOf.get(id)!) };
  };
}
