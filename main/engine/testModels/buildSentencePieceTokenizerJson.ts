// A small Llama/SentencePiece-style BPE tokenizer.json: "▁" marks word starts, unknown characters
// fall back to <0xXX> byte tokens, <s> is added by the post-processor. Merges are learned here
// from TRAINING_CORPUS with plain BPE training (most frequent pair, ties by spelling), so the
// file is deterministic. Two layouts exist in the wild and both are produced:
//   'legacy':    normalizer Prepend("▁") + Replace(" ", "▁"), no pre-tokenizer (Llama 2 files)
//   'metaspace': Metaspace pre-tokenizer and decoder with prepend_scheme "first" (newer files)
import { TRAINING_CORPUS } from './trainingCorpus';

export const SP_SPECIALS = ['<unk>', '<s>', '</s>'] as const;
const SPACE = '▁';

export interface SentencePieceOptions {
  vocabSize: number;
  layout?: 'legacy' | 'metaspace';
  corpus?: string;
}

export function trainSentencePieceBpe(vocabSize: number, corpus = TRAINING_CORPUS): { vocab: Record<string, number>; merges: [string, string][] } {
  const tokens: string[] = [...SP_SPECIALS];
  for (let b = 0; b < 256; b++) tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
  // Words as SentencePiece sees them: whitespace-separated, each with the word-start marker.
  const wordCounts = new Map<string, number>();
  for (const w of corpus.split(/\s+/u).filter(Boolean)) wordCounts.set(SPACE + w, (wordCounts.get(SPACE + w) ?? 0) + 1);
  const chars = new Set<string>();
  for (const w of wordCounts.keys()) for (const c of w) chars.add(c);
  tokens.push(...[...chars].sort());
  if (tokens.length > vocabSize) throw new Error(`vocabSize ${vocabSize} is below the ${tokens.length} base tokens`);
  const words = [...wordCounts.entries()].map(([w, n]) => ({ symbols: Array.from(w), n }));
  const merges: [string, string][] = [];
  const known = new Set(tokens);
  while (tokens.length < vocabSize) {
    const counts = new Map<string, number>();
    for (const { symbols, n } of words) {
      for (let i = 0; i + 1 < symbols.length; i++) {
        const k = `${symbols[i]}\u0000${symbols[i + 1]}`;
        counts.set(k, (counts.get(k) ?? 0) + n);
      }
    }
    let best: string | undefined;
    let bestN = 0;
    for (const [k, n] of counts) {
      const merged = k.replace('\u0000', '');
      if (known.has(merged)) continue;
      if (n > bestN || (n === bestN && best !== undefined && k < best)) {
        best = k;
        bestN = n;
      }
    }
    if (best === undefined) break;
    const [a, b] = best.split('\u0000') as [string, string];
    merges.push([a, b]);
    tokens.push(a + b);
    known.add(a + b);
    for (const w of words) {
      const s = w.symbols;
      for (let i = 0; i + 1 < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) s.splice(i, 2, a + b);
      }
    }
  }
  // Pad with unused filler tokens so the vocabulary has exactly the requested size.
  for (let i = 0; tokens.length < vocabSize; i++) tokens.push(`<extra_${i}>`);
  return { vocab: Object.fromEntries(tokens.map((t, i) => [t, i])), merges };
}

export function buildSentencePieceTokenizerJson(opts: SentencePieceOptions): Record<string, unknown> {
  const { vocab, merges } = trainSentencePieceBpe(opts.vocabSize, opts.corpus);
  const layout = opts.layout ?? 'legacy';
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const metaspace = { type: 'Metaspace', replacement: SPACE, prepend_scheme: 'first', split: false };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SP_SPECIALS.map((t, i) => special(t, i)),
    normalizer:
      layout === 'legacy'
        ? { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: SPACE }, { type: 'Replace', pattern: { String: ' ' }, content: SPACE }] }
        : null,
    pre_tokenizer: layout === 'legacy' ? null : metaspace,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<s>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder:
      layout === 'legacy'
        ? {
            type: 'Sequence',
            decoders: [{ type: 'Replace', pattern: { String: SPACE }, content: ' ' }, { type: 'ByteFallback' }, { type: 'Fuse' }, { type: 'Strip', content: ' ', start: 1, stop: 0 }],
          }
        : metaspace,
    model: { type: 'BPE', dropout: null, unk_token: '<unk>', continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: true, byte_fallback: true, ignore_merges: false, vocab, merges },
  };
}

/** tokenizer_config.json for it, with a Llama-2-style chat template. */
export function buildSentencePieceTokenizerConfig(): Record<string, unknown> {
  return {
    add_bos_token: true,
    add_eos_token: false,
    bos_token: '<s>',
    eos_token: '</s>',
    unk_token: '<unk>',
    legacy: true,
    clean_up_tokenization_spaces: false,
    tokenizer_class: 'LlamaTokenizer',
    chat_template:
      "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'system' %}{{ '<<SYS>>\\n' + message['content'] + '\\n<</SYS>>\\n\\n' }}{% elif message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + eos_token }}{% endif %}{% endfor %}",
  };
}
