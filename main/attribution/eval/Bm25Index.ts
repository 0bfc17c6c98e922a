// Okapi BM25 over the datanet's records: the evaluation's baseline, a retriever that knows
// nothing of the model. Written here rather than taken from npm: the formula is a dozen lines,
// and the maintained packages (wink-bm25-text-search) bring an NLP pipeline and stemmer whose
// choices would then be part of the baseline. Terms are lowercased runs of letters and digits;
// no stemming, no stop words, so the baseline is easy to reproduce by hand.
//
//   score(q, d) = sum over terms t of q:  idf(t) * tf(t,d) * (k1 + 1) / (tf(t,d) + k1 * (1 - b + b * |d| / avgdl))
//   idf(t) = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))     (Lucene's form: never negative)
//
// A term repeated in the query counts once per occurrence, as Lucene does.

export interface Bm25Options {
  k1?: number;
  b?: number;
}

export function bm25Terms(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly termCounts: Map<string, number>[];
  private readonly lengths: number[];
  private readonly avgLength: number;
  private readonly documentFrequency = new Map<string, number>();

  constructor(documents: readonly string[], o: Bm25Options = {}) {
    this.k1 = o.k1 ?? 1.2;
    this.b = o.b ?? 0.75;
    this.termCounts = documents.map((d) => {
      const counts = new Map<string, number>();
      for (const t of bm25Terms(d)) counts.set(t, (counts.get(t) ?? 0) + 1);
      return counts;
    });
    this.lengths = this.termCounts.map((c) => [...c.values()].reduce((s, n) => s + n, 0));
    this.avgLength = this.lengths.reduce((s, n) => s + n, 0) / Math.max(1, documents.length);
    for (const c of this.termCounts) for (const t of c.keys()) this.documentFrequency.set(t, (this.documentFrequency.get(t) ?? 0) + 1);
  }

  get size(): number {
    return this.termCounts.length;
  }

  idf(term: string): number {
    const n = this.documentFrequency.get(term) ?? 0;
    return Math.log(1 + (this.size - n + 0.5) / (n + 0.5));
  }

  /** The score of every document for `query`, in document order. */
  scores(query: string): Float64Array {
    const out = new Float64Array(this.size);
    const norm = this.avgLength > 0 ? this.avgLength : 1;
    for (const t of bm25Terms(query)) {
      if (!this.documentFrequency.has(t)) continue;
      const idf = this.idf(t);
      for (let d = 0; d < this.size; d++) {
        const tf = this.termCounts[d]!.get(t);
        if (!tf) continue;
        out[d]! += (idf * tf * (this.k1 + 1)) / (tf + this.k1 * (1 - this.b + (this.b * this.lengths[d]!) / norm));
      }
    }
    return out;
  }
}
