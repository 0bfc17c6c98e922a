// The gradient evidence's record scores for a whole answer: DataInf scores of the records for
// each response token (computeGradientEvidence, exact per-token gradients), summed over the
// response. LDS predicts subset losses from them (with every record kept per token).
import { computeGradientEvidence } from '../gradientEvidence';
import type { EvalGradientStore } from './evalGradientStore';

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
