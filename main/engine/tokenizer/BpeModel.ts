// The BPE model of tokenizer.json: a word (one pre-token) starts as one symbol per character and
// the adjacent pair with the lowest merge rank is merged until none applies, ties going to the
// leftmost pair (the Rust implementation's priority order).
import { TokenizerError } from './TokenizerError';

type Json = Record<string, unknown>;

interface Merge {
  rank: number;
  id: number;
}

/** Pair key for two ids; vocabularies stay far below 2^20 * 2^20 < 2^53. */
const pairKey = (a: number, b: number) => a * 0x100000 + b;

export class BpeModel {
  readonly vocab: Map<string, number>;
  readonly idToToken: string[];
  private readonly merges = new Map<number, Merge>();
  private readonly unkId: number | undefined;
  private readonly fuseUnk: boolean;
  private readonly byteFallback: boolean;
  private readonly ignoreMerges: boolean;
  private readonly prefix: string;
  private readonly suffix: string;
  private readonly cache = new Map<string, number[]>();

  constructor(json: unknown) {
    const m = json as Json;
    if (m['type'] !== undefined && m['type'] !== 'BPE') throw new TokenizerError('model.type', `unsupported model ${JSON.stringify(m['type'])} (only BPE)`);
    if (typeof m['dropout'] === 'number' && m['dropout'] > 0) throw new TokenizerError('model.dropout', 'BPE dropout is random; refusing a non-deterministic tokenizer');
    const vocab = m['vocab'] as Record<string, number> | undefined;
    if (!vocab || typeof vocab !== 'object') throw new TokenizerError('model.vocab', 'missing');
    this.vocab = new Map(Object.entries(vocab));
    if (this.vocab.size >= 0x100000) throw new TokenizerError('model.vocab', 'vocabulary too large');
    this.idToToken = [];
    for (const [t, id] of this.vocab) this.idToToken[id] = t;
    this.prefix = typeof m['continuing_subword_prefix'] === 'string' ? m['continuing_subword_prefix'] : '';
    this.suffix = typeof m['end_of_word_suffix'] === 'string' ? m['end_of_word_suffix'] : '';
    const merges = (m['merges'] as unknown[]) ?? [];
    merges.forEach((entry, rank) => {
      // Two spellings exist: "a b" (split at the first space) and ["a", "b"].
      let a: string, b: string;
      if (typeof entry === 'string') {
        const sp = entry.indexOf(' ');
        if (sp < 0) throw new TokenizerError(`model.merges[${rank}]`, `merge ${JSON.stringify(entry)} has no space`);
        a = entry.slice(0, sp);
        b = entry.slice(sp + 1);
      } else if (Array.isArray(entry) && entry.length === 2) [a, b] = entry as [string, string];
      else throw new TokenizerError(`model.merges[${rank}]`, 'expected "a b" or ["a", "b"]');
      const ia = this.vocab.get(a);
      const ib = this.vocab.get(b);
      const merged = a + (this.prefix && b.startsWith(this.prefix) ? b.slice(this.prefix.length) : b);
      const id = this.vocab.get(merged);
      if (ia === undefined || ib === undefined || id === undefined) {
        throw new TokenizerError(`model.merges[${rank}]`, `merge ${JSON.stringify([a, b])} uses a token missing from the vocabulary`);
      }
      const key = pairKey(ia, ib);
      if (!this.merges.has(key)) this.merges.set(key, { rank, id });
    });
    const unk = m['unk_token'];
    this.unkId = typeof unk === 'string' ? this.vocab.get(unk) : undefined;
    if (typeof unk === 'string' && this.unkId === undefined) throw new TokenizerError('model.unk_token', `${JSON.stringify(unk)} is not in the vocabulary`);
    this.fuseUnk = m['fuse_unk'] === true;
    this.byteFallback = m['byte_fallback'] === true;
    this.ignoreMerges = m['ignore_merges'] === true;
  }

  tokenize(word: string): number[] {
    const hit = this.cache.get(word);
    if (hit) return hit;
    const ids = this.tokenizeUncached(word);
    // Only short words repeat often enough to be worth caching.
    if (word.length <= 64) {
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(word, ids);
    }
    return ids;
  }

  private tokenizeUncached(word: string): number[] {
    if (this.ignoreMerges) {
      const whole = this.vocab.get(word);
      if (whole !== undefined) return [whole];
    }
    return this.mergeSymbols(this.initialSymbols(word));
  }

  /**
   * Applies merges lowest rank first, leftmost on ties. Symbols form a linked list over their
   * original positions and candidate pairs sit in a binary heap keyed (rank, position), so a
   * long word (a SentencePiece-style tokenizer sees a whole line as one word) costs O(n log n).
   * A popped pair is stale if either side has changed since it was pushed.
   */
  private mergeSymbols(ids: number[]): number[] {
    const n = ids.length;
    if (n < 2) return ids;
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const alive = new Uint8Array(n).fill(1);
    const heap = new PairHeap();
    const consider = (pos: number) => {
      const r = next[pos]!;
      if (pos < 0 || r < 0) return;
      const m = this.merges.get(pairKey(ids[pos]!, ids[r]!));
      if (m) heap.push({ rank: m.rank, pos, left: ids[pos]!, right: ids[r]!, id: m.id });
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    for (let e = heap.pop(); e; e = heap.pop()) {
      const r = next[e.pos]!;
      if (!alive[e.pos] || r < 0 || ids[e.pos] !== e.left || ids[r] !== e.right) continue;
      ids[e.pos] = e.id;
      alive[r] = 0;
      const rr = next[r]!;
      next[e.pos] = rr;
      if (rr >= 0) prev[rr] = e.pos;
      consider(prev[e.pos]!);
      consider(e.pos);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]!) out.push(ids[i]!);
    return out;
  }

  private initialSymbols(word: string): number[] {
    const out: number[] = [];
    const chars = Array.from(word);
    let prevUnk = false;
    chars.forEach((ch, i) => {
      let s = ch;
      if (i > 0 && this.prefix) s = this.prefix + s;
      if (i === chars.length - 1 && this.suffix) s += this.suffix;
      const id = this.vocab.get(s);
      if (id !== undefined) {
        out.push(id);
        prevUnk = false;
        return;
      }
      if (this.byteFallback) {
        const bytes = [...new TextEncoder().encode(ch)].map((b) => this.vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`));
        if (bytes.every((b) => b !== undefined)) {
          out.push(...(bytes as number[]));
          prevUnk = false;
          return;
        }
      }
      // Without an unk token the Rust model drops the character.
      if (this.unkId === undefined) return;
      if (this.fuseUnk && prevUnk) return;
      out.push(this.unkId);
      prevUnk = true;
    });
    return out;
  }
}

interface PairEntry {
  rank: number;
  pos: number;
  left: number;
  right: number;
  id: number;
}

/** Min-heap of candidate merges ordered by (rank, position). */
class PairHeap {
  private a: PairEntry[] = [];

  private less(x: PairEntry, y: PairEntry): boolean {
    return x.rank < y.rank || (x.rank === y.rank && x.pos < y.pos);
  }

  push(e: PairEntry): void {
    const a = this.a;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): PairEntry | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
