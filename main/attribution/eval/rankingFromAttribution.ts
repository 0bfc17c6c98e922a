// The tool's answer for one completion as a ranking: a record's score is the sum over the
// response's tokens of its part of each token (tokenShares of the token's listed records, the
// same parts the contributor shares add up: a record that shaped many tokens, or was the clear
// best for them, ranks first); contributors in the order of their response-level shares, those
// the threshold dropped after those it kept (they had less than the threshold before it, so the
// order is the shares' order either way).
import type { ResponseAttribution } from '../../api/attributionSchemas';
import type { RankedRecords } from './RecordScorer';
import { tokenShares } from '../attributeResponse';

export function rankingFromAttribution(a: ResponseAttribution): RankedRecords {
  const sums = new Map<string, number>();
  for (const t of a.tokens) {
    const parts = tokenShares(t.attribution.records.map((r) => r.score));
    t.attribution.records.forEach((r, i) => sums.set(r.record, (sums.get(r.record) ?? 0) + parts[i]!));
  }
  const records = [...sums].map(([id, score]) => ({ id, score })).sort((x, y) => y.score - x.score);
  const contributors = [...a.contributors, ...a.threshold.dropped].map((c) => ({ id: c.address, score: c.share })).sort((x, y) => y.score - x.score);
  return { records, contributors };
}
