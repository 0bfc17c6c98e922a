// Tokenizer files for the fixture tests beyond the two the test-model builder produces: the
// Llama-3 and Qwen2 layouts (byte-level BPE behind their own split regexes), reusing GPT-2's
// vocabulary and merges since only the pipeline around the BPE differs.
import { readGpt2Bpe } from '../../testModels/buildGpt2TokenizerJson';
import { buildSentencePieceTokenizerJson } from '../../testModels/buildSentencePieceTokenizerJson';

export const LLAMA3_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
export const QWEN2_SPLIT =
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

const added = (id: number, content: string, extra: Record<string, unknown> = {}) => ({
  id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true, ...extra,
});

export function buildLlama3StyleTokenizerJson(): Record<string, unknown> {
  const { vocab, merges } = readGpt2Bpe();
  const n = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [added(n, '<|begin_of_text|>'), added(n + 1, '<|end_of_text|>'), added(n + 2, '<|eot_id|>')],
    normalizer: null,
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: LLAMA3_SPLIT }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: {
      type: 'Sequence',
      processors: [
        { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
        {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
          pair: [{ SpecialToken: { id: '<|begin_of_text|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<|begin_of_text|>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
          special_tokens: { '<|begin_of_text|>': { id: '<|begin_of_text|>', ids: [n], tokens: ['<|begin_of_text|>'] } },
        },
      ],
    },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: null, end_of_word_suffix: null, fuse_unk: false, byte_fallback: false, ignore_merges: true, vocab, merges: merges.map((m) => m.split(' ')) },
  };
}

export function buildQwen2StyleTokenizerJson(): Record<string, unknown> {
  const { vocab, merges } = readGpt2Bpe();
  const n = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [
      added(vocab['<|endoftext|>']!, '<|endoftext|>'),
      added(n, '<|im_start|>'),
      added(n + 1, '<|im_end|>'),
      // A non-special added word, matched after normalization, with whitespace stripping.
      added(n + 2, 'studio', { special: false, normalized: true, lstrip: true, rstrip: true, single_word: true }),
    ],
    normalizer: { type: 'NFC' },
    pre_tokenizer: {
      type: 'Sequence',
      pretokenizers: [
        { type: 'Split', pattern: { Regex: QWEN2_SPLIT }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
      ],
    },
    post_processor: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    decoder: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: false },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

/**
 * Less common components on the SentencePiece-style vocabulary: NFKC + Lowercase normalizer,
 * single digits, Metaspace with split on and prepend_scheme "always", no byte fallback (so
 * unknown characters become one fused <unk>).
 */
export function buildMiscComponentsTokenizerJson(): Record<string, unknown> {
  const json = buildSentencePieceTokenizerJson({ vocabSize: 600, layout: 'metaspace' });
  const metaspace = { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true };
  return {
    ...json,
    normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Lowercase' }] },
    pre_tokenizer: { type: 'Sequence', pretokenizers: [{ type: 'Digits', individual_digits: true }, metaspace] },
    decoder: metaspace,
    model: { ...(json['model'] as object), byte_fallback: false },
  };
}
