// The gradient evidence alone as a scorer: DataInf scores of every record for each response
// token (computeGradientEvidence, exact per-token gradients), summed over the response. Used for
// the tool's figures until the combined attribution service (spans and gradients) is merged,
// and kept afterwards to show what the gradient evidence contributes on its own.
import { computeGradientEvidence } from '../gradientEvidence';
import type { EvalGradientStore } from './evalGradientStore';
import type { EvalRecord } from './plantFacts';
import { contributorsByBestRecord, type RecordScorer } from './RecordScorer';

/** Record scores summed over the response's tokens (each token's best record scores 1). */
export function gradientRecordScores(g: EvalGradientStore, prompt: string, completion: string, top: number): Map<string, number> {
  const promptIds = g.tok.encode(prompt);
  const responseIds = g.tok.encode(completion, { addSpecialTokens: false });
  const sums = new Map<string, number>();
  if (responseIds.length === 0) return sums;
  const e = computeGradientEvidence({ model: g.model, layout: g.layout, maxPositions: g.maxPositions, promptIds, responseIds, store: g.store, method: 'datainf', top });
  for (const token of e.perToken) for (const r of token) sums.set(r.record, (sums.get(r.record) ?? 0) + r.score);
  return sums;
}

export function gradientScorer(g: EvalGradientStore, records: readonly EvalRecord[]): RecordScorer {
  const contributorOf = new Map(records.map((r) => [r.sourceId, r.contributor]));
  return async (prompt, completion) => {
    const ranked = [...gradientRecordScores(g, prompt, completion, 20)].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
    return { records: ranked, contributors: contributorsByBestRecord(ranked, (id) => contributorOf.get(id)!) };
  };
}
