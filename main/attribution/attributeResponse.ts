import type { AttributedSpan, ContributorShare, RecordScore, ResponseAttribution } from '../api/attributionSchemas';
import type { GradientEvidence } from './evidenceTypes';
import { DECISIVE_SPAN_TOKENS, findSpans, spanConfidence, type SuffixSearcher } from './findSpans';
import { contextFactor, describePromptSpans, PROMPT_CONTEXT_WEIGHT, promptContext, type PromptToken } from './promptContext';

/** The threshold used when no chain answered: the devnet deployment's own default (deployProtocol.ts), 0.01%. */
export const DEFAULT_ATTRIBUTION_THRESHOLD_BPS = 1;

/** Each token's share goes to its records in proportion to score^SHARE_POWER (tokenShares). */
export const SHARE_POWER = 4;

const TOP_RECORDS = 10;

/** The rule, in words, as the response carries it (and docs/ARCHITECTURE.md states it). */
export function combinationRule(withGradient: boolean): string {
  const span =
    'span(r,t) = length in tokens of the longest maximal verbatim span covering token t that record r contains, times 1/(1+ln occurrences), divided by the largest such value at t';
  const confidence = `c(t), how far the spans decide t, is the largest over the spans covering t of min(1, length/${DECISIVE_SPAN_TOKENS}) / (records containing the span)`;
  const both = withGradient
    ? `score(r,t) = c(t)·span(r,t) + (1−c(t))·gradient(r,t), where ${span}; gradient(r,t) is the influence normalised so t's top record scores 1; and ${confidence}: a long span unique to one record decides alone, a phrase many records share leaves t to the gradients`
    : `score(r,t) = c(t)·span(r,t), where ${span}; and ${confidence} (no gradient evidence: the part spans cannot decide stays undecided, so a phrase many records share shows weak)`;
  const prompt = `Prompt context: the prompt's own maximal verbatim spans give each record context(r), the largest over the prompt spans it holds of min(1, length/${DECISIVE_SPAN_TOKENS}) / (records containing the span); each score above is multiplied by (1 + ${PROMPT_CONTEXT_WEIGHT}·context(r)) / (1 + ${PROMPT_CONTEXT_WEIGHT}·C), C the largest context among the records the response's evidence names: a record that holds the question's rare words as well as the answer's evidence is preferred to one holding the answer's words alone, and the prompt never adds a record`;
  return `${both}. ${prompt}. Shares: each token's record scores raised to the power ${SHARE_POWER} and normalised to sum 1, summed per contributor over the response and divided by the total; contributors under the threshold are dropped and the rest renormalised.`;
}

export interface AttributeInput {
  model: string;
  adapter: string | null;
  datanet: { name: string; version: number; root: string };
  datanetFrom: 'lineage' | 'argument';
  /** The response's tokens with the text each completes. */
  tokens: readonly { id: number; text: string }[];
  /** The prompt's tokens (the context of the response; promptContext.ts). Absent or empty: no prompt context. */
  prompt?: readonly PromptToken[];
  searcher: SuffixSearcher;
  gradient: GradientEvidence | null;
  /** Why gradient evidence is absent (null when present). */
  note: string | null;
  threshold: { bps: number; source: 'chain' | 'default' };
}

const round = (x: number): number => Math.round(x * 1e6) / 1e6;

/**
 * Combines the exact-span evidence (computed here against the span index) with optional gradient
 * evidence into per-token record scores and per-response contributor shares, applying the
 * attribution threshold (combinationRule states the rule).
 */
export function attributeResponse(input: AttributeInput): ResponseAttribution {
  const { searcher, gradient, tokens } = input;
  const header = searcher.index.header;
  if (gradient && gradient.perToken.length !== tokens.length)
    throw new Error(`gradient evidence has ${gradient.perToken.length} token entries for a response of ${tokens.length} tokens`);
  const started = performance.now();
  const ids = tokens.map((t) => t.id);
  const texts = tokens.map((t) => t.text);
  const search = findSpans(searcher, ids, texts);
  const contributorOfDoc = (d: number): string => header.contributors[header.recordContributor[d]!]!;
  const spans: AttributedSpan[] = search.spans.map((s) => ({
    start: s.start,
    end: s.end,
    text: texts.slice(s.start, s.end).join(''),
    occurrences: s.occurrences,
    records: s.documents.map((d) => ({ record: header.records[d]!, contributor: contributorOfDoc(d) })),
  }));
  const prompt = input.prompt ?? [];
  const context = promptContext(searcher, prompt);
  const promptSpans = describePromptSpans(prompt, context, (d) => ({ record: header.records[d]!, contributor: contributorOfDoc(d) }));
  const spansMs = performance.now() - started;

  // Records named by the gradient evidence get their contributor from the index (same version).
  const contributorOfRecord = new Map<string, string>();
  header.records.forEach((r, d) => contributorOfRecord.set(r, contributorOfDoc(d)));
  const contextOf = new Map<string, number>();
  for (const [d, c] of context.byDocument) contextOf.set(header.records[d]!, c);
  // C: the best prompt context among the records the response's evidence names (a record holding
  // the prompt but no evidence for any response token is no candidate, so it cannot dim the rest).
  let bestContext = 0;
  for (const s of search.spans) for (const d of s.documents) bestContext = Math.max(bestContext, context.byDocument.get(d) ?? 0);
  for (const list of gradient?.perToken ?? []) for (const g of list) if (g.score > 0) bestContext = Math.max(bestContext, contextOf.get(g.record) ?? 0);

  const shareSums = new Map<string, number>();
  const attributed = tokens.map((tok, t) => {
    const span = new Map<string, number>();
    let best: AttributedSpan | null = null;
    let confidence = 0;
    search.spans.forEach((s, k) => {
      if (s.start > t || s.end <= t) return;
      best ??= spans[k]!; // spans are ranked: the first covering one is the best
      confidence = Math.max(confidence, spanConfidence(s));
      const value = (s.end - s.start) / (1 + Math.log(s.occurrences));
      for (const d of s.documents) {
        const rec = header.records[d]!;
        span.set(rec, Math.max(span.get(rec) ?? 0, value));
      }
    });
    const maxSpan = Math.max(0, ...span.values());
    const grad = new Map<string, number>();
    for (const g of gradient?.perToken[t] ?? []) if (contributorOfRecord.has(g.record) && g.score > 0) grad.set(g.record, Math.max(grad.get(g.record) ?? 0, g.score));
    const records: RecordScore[] = [];
    for (const rec of new Set([...span.keys(), ...grad.keys()])) {
      const s = maxSpan > 0 ? (span.get(rec) ?? 0) / maxSpan : 0;
      const g = gradient ? Math.min(1, grad.get(rec) ?? 0) : null;
      // Without gradients the undecided part (1 − c) stays 0: a token only a shared phrase covers
      // shows weak in the heatmap instead of as strong as a unique sentence (its shares, being
      // normalised per token, are the same either way).
      const ctx = contextOf.get(rec) ?? 0;
      const score = combineEvidence(s, g ?? 0, confidence) * contextFactor(ctx, bestContext);
      if (score > 0) records.push({ record: rec, contributor: contributorOfRecord.get(rec)!, score, spanScore: span.get(rec) ?? 0, gradientScore: g, contextScore: ctx });
    }
    records.sort((a, b) => b.score - a.score || a.record.localeCompare(b.record));
    const shares = tokenShares(records.map((r) => r.score));
    records.forEach((r, i) => shareSums.set(r.contributor, (shareSums.get(r.contributor) ?? 0) + shares[i]!));
    return {
      text: tok.text,
      tokenId: tok.id,
      matchLength: search.matchLength[t]!,
      attribution: {
        records: records.slice(0, TOP_RECORDS).map((r) => ({ ...r, score: round(r.score), spanScore: round(r.spanScore), gradientScore: r.gradientScore === null ? null : round(r.gradientScore), contextScore: round(r.contextScore) })),
        span: best,
      },
    };
  });

  const { contributors, dropped } = applyThreshold(shareSums, input.threshold.bps);
  return {
    model: input.model,
    adapter: input.adapter,
    datanet: input.datanet,
    datanetFrom: input.datanetFrom,
    evidence: { spans: true, gradient: gradient?.method ?? null, note: input.note },
    combinationRule: combinationRule(gradient !== null),
    tokens: attributed,
    spans,
    promptSpans,
    threshold: { ...input.threshold, dropped },
    contributors,
    inference: null,
    timings: { spansMs: round(spansMs), gradientMs: gradient ? gradient.ms : null },
  };
}

/** One record's combined score at a token: span and gradient evidence weighted by the token's span confidence. */
export function combineEvidence(span: number, gradient: number, confidence: number): number {
  return confidence * span + (1 - confidence) * gradient;
}

/**
 * One token's records' parts of that token (summing to 1, or all 0 when no record scores):
 * score^SHARE_POWER normalised. Linear parts let a long list of middling matches (a gradient
 * list's twenty records, each near its top) outvote the one record that decided the token; the
 * power keeps the order and gives the token mostly to its best records.
 */
export function tokenShares(scores: readonly number[]): number[] {
  const w = scores.map((x) => (x > 0 ? x ** SHARE_POWER : 0));
  const total = w.reduce((a, b) => a + b, 0);
  return total > 0 ? w.map((x) => x / total) : w.map(() => 0);
}

/** Shares from per-contributor sums; those under `bps` dropped (with their share before), the rest renormalised; highest first. */
export function applyThreshold(sums: ReadonlyMap<string, number>, bps: number): { contributors: ContributorShare[]; dropped: ContributorShare[] } {
  const total = [...sums.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return { contributors: [], dropped: [] };
  const ranked = [...sums].map(([address, v]) => ({ address, share: v / total })).sort((a, b) => b.share - a.share || a.address.localeCompare(b.address));
  const dropped = ranked.filter((c) => c.share * 10_000 < bps);
  const kept = ranked.filter((c) => c.share * 10_000 >= bps);
  const keptTotal = kept.reduce((a, c) => a + c.share, 0);
  return {
    contributors: kept.map((c) => ({ address: c.address, share: round(c.share / keptTotal) })),
    dropped: dropped.map((c) => ({ address: c.address, share: round(c.share) })),
  };
}
