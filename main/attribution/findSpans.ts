import type { SpanIndex } from './openSpanIndex';

// Exact spans in the manner of OLMoTrace (Liu et al. 2025): for every position of the response
// the longest prefix that occurs verbatim in the index (binary search over the suffix table,
// narrowing the range one token at a time); the spans that start and end at word boundaries and
// are not inside another such span (maximal); ranked by rarity. The slow reference in the tests
// scans the documents directly.

export interface FoundSpan {
  /** Token indexes into the response, end exclusive. */
  start: number;
  end: number;
  /** Occurrences in the index (how many suffixes start with it). */
  occurrences: number;
  /** Σ log(count(token) / N) over the span's tokens: lower is rarer. */
  unigramLogProb: number;
  /** Index of the documents containing it, ascending, at most `maxDocuments`. */
  documents: number[];
}

export interface SpanSearch {
  /** Per response token: the longest match ending at it (infini-gram's suffix length), 0 when the token never occurs. */
  matchLength: number[];
  /** Maximal spans, rarest first. */
  spans: FoundSpan[];
}

export interface FindSpansOptions {
  /** Shortest span kept, in tokens (a single common token is no evidence). Default 2. */
  minTokens?: number;
  /** Documents listed per span. Default 20. */
  maxDocuments?: number;
  /** Occurrences examined per span to find its documents. Default 2000. */
  maxScan?: number;
}

/** memcmp order of little-endian tokens = numeric order of byte-swapped ids; past the end of the file sorts first. */
function swapper(width: 2 | 4): (t: number) => number {
  return width === 2 ? (t) => ((t & 0xff) << 8) | (t >>> 8) : (t) => (t & 0xff) * 16777216 + ((t >>> 8) & 0xff) * 65536 + ((t >>> 16) & 0xff) * 256 + (t >>> 24);
}

/** Binary searches over one index's suffix table. */
export class SuffixSearcher {
  private readonly swap: (t: number) => number;
  // Each token's range at depth 0: the widest binary search, repeated for every response position
  // that starts with a common token.
  private readonly firstRanges = new Map<number, [number, number]>();

  constructor(readonly index: SpanIndex) {
    this.swap = swapper(index.header.tokenWidth);
  }

  /** Sort key of the token at `pos` (-1 past the end). */
  keyAt(pos: number): number {
    return pos < this.index.size ? this.swap(this.index.tokens[pos]!) : -1;
  }

  /** The sub-range of [lo, hi) (suffixes sharing `depth` tokens) whose next token's key is `key`. */
  narrow(lo: number, hi: number, depth: number, key: number): [number, number] {
    const ix = this.index;
    let a = lo, b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.keyAt(ix.suffixAt(mid) + depth) < key) a = mid + 1;
      else b = mid;
    }
    const first = a;
    b = hi;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (this.keyAt(ix.suffixAt(mid) + depth) <= key) a = mid + 1;
      else b = mid;
    }
    return [first, a];
  }

  /** The range of suffixes starting with token `id`. */
  firstRange(id: number): [number, number] {
    let r = this.firstRanges.get(id);
    if (!r) {
      r = this.narrow(0, this.index.size, 0, this.swap(id));
      this.firstRanges.set(id, r);
    }
    return r;
  }

  /** The suffix-table range of suffixes starting with ids (empty range: lo === hi). */
  range(ids: ArrayLike<number>, start = 0, end = ids.length): [number, number] {
    if (end <= start) return [0, this.index.size];
    let [lo, hi] = this.firstRange(ids[start]!);
    for (let d = 1; d < end - start && lo < hi; d++) [lo, hi] = this.narrow(lo, hi, d, this.swap(ids[start + d]!));
    return [lo, hi];
  }

  /** Length of the longest prefix of ids[start..] that occurs in the index. */
  longestPrefix(ids: ArrayLike<number>, start: number): number {
    const n = ids.length - start;
    if (n <= 0) return 0;
    let [lo, hi] = this.firstRange(ids[start]!);
    if (lo === hi) return 0;
    let d = 1;
    while (d < n && lo < hi) {
      if (hi - lo === 1) {
        // One suffix left: compare it directly (a verbatim response would otherwise cost a
        // binary search per token).
        const p = this.index.suffixAt(lo);
        while (d < n && this.keyAt(p + d) === this.swap(ids[start + d]!)) d++;
        return d;
      }
      const [a, b] = this.narrow(lo, hi, d, this.swap(ids[start + d]!));
      if (a === b) break;
      lo = a;
      hi = b;
      d++;
    }
    return d;
  }

  /** Occurrences of one token id in the index. */
  unigramCount(id: number): number {
    const [lo, hi] = this.firstRange(id);
    return hi - lo;
  }

  /** The document holding token position `pos` (the last document starting at or before it). */
  documentAt(pos: number): number {
    const s = this.index.docStarts;
    let a = 0, b = s.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (s[mid]! <= pos) a = mid + 1;
      else b = mid;
    }
    return a - 1;
  }
}

/** Records listed per span when the caller does not say (FindSpansOptions.maxDocuments). */
export const DEFAULT_MAX_DOCUMENTS = 20;

/** A span this many tokens long (or longer), found in one record only, decides its tokens alone. */
export const DECISIVE_SPAN_TOKENS = 4;

/**
 * How far exact-span evidence alone decides a token covered by span `s`, in [0, 1]: 1 for a span
 * of DECISIVE_SPAN_TOKENS or more found in one record (a string only that record holds, reproduced:
 * nothing else can explain it), shrinking with the number of records holding it (a phrase many
 * records share names none of them) and for shorter spans (two tokens recur by chance). What it
 * leaves is the gradient evidence's, which conditions on the prompt and so can tell apart records
 * sharing the words.
 */
export function spanConfidence(s: Pick<FoundSpan, 'start' | 'end' | 'occurrences' | 'documents'>): number {
  // The documents list is cut at DEFAULT_MAX_DOCUMENTS: a full list means "at least", so the
  // occurrence count stands in for the record count there.
  const holders = s.documents.length < DEFAULT_MAX_DOCUMENTS ? s.documents.length : Math.max(s.documents.length, s.occurrences);
  return Math.min(1, (s.end - s.start) / DECISIVE_SPAN_TOKENS) / Math.max(1, holders);
}


const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * Whether a word may start (or end) between tokens e-1 and e: at either end of the response, and
 * wherever the junction is not inside a word (letters/digits on both sides) or a character (a
 * token that completed no text).
 */
export function wordBoundaries(texts: readonly string[]): boolean[] {
  const n = texts.length;
  const out: boolean[] = [];
  for (let e = 0; e <= n; e++) {
    if (e === 0 || e === n) {
      out.push(true);
      continue;
    }
    const left = texts[e - 1]!, right = texts[e]!;
    if (left === '' || right === '') out.push(false);
    else out.push(!(WORD_CHAR.test(left[left.length - 1]!) && WORD_CHAR.test(right[0]!)));
  }
  return out;
}

/** Spans and match lengths of a response (`ids` with each token's text) against an index. */
export function findSpans(searcher: SuffixSearcher, ids: readonly number[], texts: readonly string[], opts: FindSpansOptions = {}): SpanSearch {
  const minTokens = opts.minTokens ?? 2;
  const maxDocuments = opts.maxDocuments ?? DEFAULT_MAX_DOCUMENTS;
  const maxScan = opts.maxScan ?? 2000;
  const n = ids.length;
  if (texts.length !== n) throw new Error(`findSpans: ${n} ids but ${texts.length} texts`);
  const longest = ids.map((_, i) => searcher.longestPrefix(ids, i));

  // Longest match ending at j: from the first start i whose match reaches past j. i + longest[i]
  // never decreases (a match from i minus its first token is a match from i+1), so one pointer.
  const matchLength: number[] = [];
  for (let j = 0, i = 0; j < n; j++) {
    while (i <= j && i + longest[i]! <= j) i++;
    matchLength.push(i <= j ? j - i + 1 : 0);
  }

  const boundary = wordBoundaries(texts);
  const logN = Math.log(Math.max(1, searcher.index.size));
  const spans: FoundSpan[] = [];
  let maxEnd = -1;
  for (let i = 0; i < n; i++) {
    if (!boundary[i] || longest[i]! === 0) continue;
    let end = i + longest[i]!;
    while (end > i && !boundary[end]) end--;
    if (end - i < minTokens || end <= maxEnd) continue; // too short, or inside an earlier span
    maxEnd = end;
    const [lo, hi] = searcher.range(ids, i, end);
    const documents = new Set<number>();
    for (let r = lo; r < hi && r < lo + maxScan && documents.size < maxDocuments; r++) documents.add(searcher.documentAt(searcher.index.suffixAt(r)));
    let unigramLogProb = 0;
    for (let k = i; k < end; k++) unigramLogProb += Math.log(Math.max(1, searcher.unigramCount(ids[k]!))) - logN;
    spans.push({ start: i, end, occurrences: hi - lo, unigramLogProb, documents: [...documents].sort((a, b) => a - b) });
  }
  spans.sort((a, b) => a.occurrences - b.occurrences || a.unigramLogProb - b.unigramLogProb || b.end - b.start - (a.end - a.start) || a.start - b.start);
  return { matchLength, spans };
}
