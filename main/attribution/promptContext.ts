// The prompt's evidence in Proof of Attribution. The question attribution answers is "which
// training records shaped this answer to this prompt": the model produced the response from the
// prompt, so a record that holds the prompt's rare words as well as the answer's evidence is a
// better explanation than one that holds the answer's words alone (a record naming the
// question's subject and its answer taught the association; one repeating the answer's phrase
// in another setting did not). The prompt's own exact spans (findSpans, the same maximal-span
// rule as the response's) give each record a context weight; attributeResponse uses it only to
// re-rank records that already carry evidence for a response token, so the prompt never brings
// in a record by itself, and a prompt whose spans are common everywhere changes nothing.
import type { AttributedSpan } from '../api/attributionSchemas';
import { findSpans, spanConfidence, type FoundSpan, type SuffixSearcher } from './findSpans';

/**
 * How much the prompt's context counts: a record holding a decisive prompt span (context 1) keeps
 * its score, one holding none is scaled by 1/(1 + PROMPT_CONTEXT_WEIGHT). At 1 the prompt can at
 * most halve a record's score: it re-ranks records whose answer evidence is close (a phrase they
 * share, gradients that cannot tell them apart), never overturns a clear answer-side winner.
 */
export const PROMPT_CONTEXT_WEIGHT = 1;

/** One prompt token: its id, the text it completes, and whether it is a special token (chat markers, BOS). */
export interface PromptToken {
  id: number;
  text: string;
  special?: boolean;
}

export interface PromptContext {
  /** The prompt's maximal spans found in the datanet, token indexes into the prompt, rarest first. */
  spans: (FoundSpan & { start: number; end: number })[];
  /** Per index document: the largest spanConfidence among the prompt spans it holds, in (0, 1]. */
  byDocument: Map<number, number>;
}

/**
 * The prompt's exact spans and each document's context weight. Special tokens split the prompt
 * into runs searched apart (a span never crosses a chat marker, and BOS is not text).
 */
export function promptContext(searcher: SuffixSearcher, prompt: readonly PromptToken[]): PromptContext {
  const spans: PromptContext['spans'] = [];
  let runStart = 0;
  for (let i = 0; i <= prompt.length; i++) {
    if (i < prompt.length && !prompt[i]!.special) continue;
    if (i > runStart) {
      const run = prompt.slice(runStart, i);
      const found = findSpans(searcher, run.map((t) => t.id), run.map((t) => t.text));
      for (const s of found.spans) spans.push({ ...s, start: s.start + runStart, end: s.end + runStart });
    }
    runStart = i + 1;
  }
  spans.sort((a, b) => a.occurrences - b.occurrences || a.unigramLogProb - b.unigramLogProb || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const byDocument = new Map<number, number>();
  for (const s of spans) {
    const c = spanConfidence(s);
    for (const d of s.documents) byDocument.set(d, Math.max(byDocument.get(d) ?? 0, c));
  }
  return { spans, byDocument };
}

/**
 * A record's multiplier from its prompt context `context` when the best context among the
 * response's candidate records is `best`: 1 for the best, down to 1/(1 + weight) for none, and 1
 * for every record when no candidate holds any of the prompt (best 0).
 */
export function contextFactor(context: number, best: number, weight = PROMPT_CONTEXT_WEIGHT): number {
  return (1 + weight * context) / (1 + weight * best);
}

/** The prompt spans as the response lists them (token indexes into the prompt). */
export function describePromptSpans(prompt: readonly PromptToken[], ctx: PromptContext, recordOf: (d: number) => { record: string; contributor: string }): AttributedSpan[] {
  return ctx.spans.map((s) => ({
    start: s.start,
    end: s.end,
    text: prompt.slice(s.start, s.end).map((t) => t.text).join(''),
    occurrences: s.occurrences,
    records: s.documents.map(recordOf),
  }));
}
