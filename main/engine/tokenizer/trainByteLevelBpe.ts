// Trains a byte-level BPE (GPT-2's scheme) on a corpus and returns the Hugging Face files that
// describe it: tokenizer.json (ByteLevel pre-tokenizer with GPT-2's split regex, BPE model,
// ByteLevel decoder) and tokenizer_config.json (EOS, a ChatML chat template).
//
// Words are split by the very pre-tokenizer the written tokenizer.json declares
// (buildPreTokenizer), so training and encoding see the same words. The vocabulary starts with
// the 256 byte symbols in byte order (ids 0..255); each merge adds the next id; the special
// tokens come last. The merge chosen at each step is the adjacent pair with the highest count
// over the corpus's words (weighted by word frequency); ties go to the smaller left id, then the
// smaller right id, so a corpus gives the same merges on every machine. Pair counts are updated
// incrementally (only the words holding the merged pair are re-counted) and the best pair comes
// from a max-heap with stale entries skipped, so training is about linear in the corpus.
import { BYTE_TO_CHAR } from './byteLevelAlphabet';
import { buildPreTokenizer } from './buildPreTokenizer';

export const BPE_EOS = '<|endoftext|>';
export const CHATML_START = '<|im_start|>';
export const CHATML_END = '<|im_end|>';

/** ChatML: each message as <|im_start|>role\ncontent<|im_end|>\n, then the assistant's header. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

export interface TrainByteLevelBpeOptions {
  /** Total vocabulary: 256 bytes + merges + special tokens. */
  vocabSize: number;
  /** A pair seen fewer times than this is never merged (training stops early). Default 2. */
  minFrequency?: number;
  /** Default: <|endoftext|> (EOS and padding), <|im_start|>, <|im_end|>. */
  specialTokens?: string[];
  modelMaxLength?: number;
}

export interface TrainedByteLevelBpe {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfig: Record<string, unknown>;
  /** Merges learned (may be fewer than asked when pairs ran out). */
  merges: number;
  /** Distinct pre-tokenized words in the corpus. */
  words: number;
}

const PRE_TOKENIZER = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };

/** Max-heap of (count, left, right): higher count first, then smaller left, then smaller right. */
class PairHeap {
  private c: number[] = [];
  private a: number[] = [];
  private b: number[] = [];
  get size(): number {
    return this.c.length;
  }
  private before(i: number, j: number): boolean {
    const c = this.c, a = this.a, b = this.b;
    return c[i]! > c[j]! || (c[i] === c[j] && (a[i]! < a[j]! || (a[i] === a[j] && b[i]! < b[j]!)));
  }
  private swap(i: number, j: number): void {
    for (const arr of [this.c, this.a, this.b]) [arr[i], arr[j]] = [arr[j]!, arr[i]!];
  }
  push(count: number, left: number, right: number): void {
    this.c.push(count);
    this.a.push(left);
    this.b.push(right);
    let i = this.c.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }
  pop(): [number, number, number] | null {
    if (this.c.length === 0) return null;
    const top: [number, number, number] = [this.c[0]!, this.a[0]!, this.b[0]!];
    const last = this.c.length - 1;
    this.swap(0, last);
    this.c.pop();
    this.a.pop();
    this.b.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1, r = l + 1;
      let m = i;
      if (l < this.c.length && this.before(l, m)) m = l;
      if (r < this.c.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return top;
  }
}

const KEY = 1 << 20; // ids stay below 2^20, so left·2^20 + right is an exact pair key
const pairKey = (a: number, b: number) => a * KEY + b;

export function trainByteLevelBpe(texts: Iterable<string>, o: TrainByteLevelBpeOptions): TrainedByteLevelBpe {
  const specials = o.specialTokens ?? [BPE_EOS, CHATML_START, CHATML_END];
  const minFrequency = o.minFrequency ?? 2;
  const mergesWanted = o.vocabSize - 256 - specials.length;
  if (!Number.isInteger(o.vocabSize) || mergesWanted < 0) throw new Error(`vocabSize: ${o.vocabSize} is below 256 bytes + ${specials.length} special tokens`);
  if (o.vocabSize >= KEY) throw new Error(`vocabSize: ${o.vocabSize} is above ${KEY - 1}`);
  if (new Set(specials).size !== specials.length) throw new Error('specialTokens: a token is listed twice');

  // Word frequencies, words in byte-level spelling.
  const preTokenize = buildPreTokenizer(PRE_TOKENIZER)!;
  const freq = new Map<string, number>();
  for (const text of texts) for (const w of preTokenize(text, true)) freq.set(w, (freq.get(w) ?? 0) + 1);
  const charId = new Map(BYTE_TO_CHAR.map((ch, id) => [ch, id]));
  // Sorted so the word indices (and so nothing else) depend only on the corpus's contents.
  const entries = [...freq.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  const words: number[][] = entries.map(([w]) => Array.from(w, (ch) => charId.get(ch)!));
  const counts = entries.map(([, n]) => n);

  const pairCount = new Map<number, number>();
  const pairWords = new Map<number, Set<number>>();
  const addPairs = (wi: number, sign: 1 | -1, touched: Set<number>) => {
    const w = words[wi]!, n = counts[wi]! * sign;
    for (let i = 0; i + 1 < w.length; i++) {
      const k = pairKey(w[i]!, w[i + 1]!);
      pairCount.set(k, (pairCount.get(k) ?? 0) + n);
      touched.add(k);
      if (sign > 0) {
        let s = pairWords.get(k);
        if (!s) pairWords.set(k, (s = new Set()));
        s.add(wi);
      }
    }
  };
  const initial = new Set<number>();
  for (let wi = 0; wi < words.length; wi++) addPairs(wi, 1, initial);
  const heap = new PairHeap();
  for (const k of initial) heap.push(pairCount.get(k)!, Math.floor(k / KEY), k % KEY);

  const tokens: string[] = [...BYTE_TO_CHAR];
  const merges: string[] = [];
  while (merges.length < mergesWanted) {
    const top = heap.pop();
    if (!top) break;
    const [count, a, b] = top;
    const k = pairKey(a, b);
    if (pairCount.get(k) !== count) continue; // stale: the pair's count changed since it was pushed
    if (count < minFrequency) break;
    const id = tokens.length;
    tokens.push(tokens[a]! + tokens[b]!);
    merges.push(`${tokens[a]} ${tokens[b]}`);
    const touched = new Set<number>();
    for (const wi of [...pairWords.get(k)!].sort((x, y) => x - y)) {
      const w = words[wi]!;
      let holds = false;
      for (let i = 0; i + 1 < w.length && !holds; i++) holds = w[i] === a && w[i + 1] === b;
      if (!holds) continue;
      addPairs(wi, -1, touched);
      const merged: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === a && w[i + 1] === b) {
          merged.push(id);
          i++;
        } else merged.push(w[i]!);
      }
      words[wi] = merged;
      addPairs(wi, 1, touched);
    }
    pairWords.delete(k);
    pairCount.delete(k);
    touched.delete(k);
    for (const t of touched) {
      const n = pairCount.get(t)!;
      if (n > 0) heap.push(n, Math.floor(t / KEY), t % KEY);
      else {
        pairCount.delete(t);
        pairWords.delete(t);
      }
    }
  }

  const vocab: Record<string, number> = {};
  tokens.forEach((t, i) => (vocab[t] = i));
  const addedTokens = specials.map((content, i) => {
    if (content in vocab) throw new Error(`specialTokens: '${content}' is already a learned token`);
    vocab[content] = tokens.length + i;
    return { id: tokens.length + i, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
  });
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: PRE_TOKENIZER,
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: false, vocab, merges },
  };
  const eos = specials[0]!;
  const tokenizerConfig: Record<string, unknown> = {
    tokenizer_class: 'PreTrainedTokenizerFast',
    bos_token: null,
    eos_token: eos,
    pad_token: eos,
    unk_token: null,
    add_bos_token: false,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    model_max_length: o.modelMaxLength ?? 1024,
    ...(specials.includes(CHATML_START) && specials.includes(CHATML_END) ? { chat_template: CHATML_TEMPLATE } : {}),
  };
  return { tokenizerJson, tokenizerConfig, merges: merges.length, words: words.length };
}
