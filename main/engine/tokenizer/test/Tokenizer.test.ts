import { describe, expect, it } from 'vitest';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '../Tokenizer';
import { FIXTURE_STRINGS } from './fixtureStrings';
import { buildLlama3StyleTokenizerJson, buildMiscComponentsTokenizerJson, buildQwen2StyleTokenizerJson } from './tokenizerFixtures';
import { buildGpt2TokenizerJson } from '../../testModels/buildGpt2TokenizerJson';
import { buildSentencePieceTokenizerJson } from '../../testModels/buildSentencePieceTokenizerJson';

// The independent reference is @huggingface/tokenizers (tokenizers.js). clean_up_tokenization_spaces
// is a transformers-level option; it is off here so decode compares the tokenizer itself.
const cases: [string, () => Record<string, unknown>][] = [
  ['gpt2', buildGpt2TokenizerJson],
  ['llama3-style', buildLlama3StyleTokenizerJson],
  ['qwen2-style', buildQwen2StyleTokenizerJson],
  ['sentencepiece legacy', () => buildSentencePieceTokenizerJson({ vocabSize: 600, layout: 'legacy' })],
  ['sentencepiece metaspace', () => buildSentencePieceTokenizerJson({ vocabSize: 600, layout: 'metaspace' })],
  ['misc components', buildMiscComponentsTokenizerJson],
];

describe.each(cases)('%s tokenizer matches Hugging Face', (_name, build) => {
  const json = build();
  const ours = new Tokenizer(structuredClone(json));
  const ref = new HfTokenizer(structuredClone(json), { clean_up_tokenization_spaces: false });

  it.each(FIXTURE_STRINGS.map((s) => [JSON.stringify(s), s]))('encodes %s', (_label, s) => {
    for (const add of [true, false]) {
      const expected = ref.encode(s, { add_special_tokens: add }).ids;
      expect(ours.encode(s, { addSpecialTokens: add })).toEqual(expected);
    }
  });

  it.each(FIXTURE_STRINGS.map((s) => [JSON.stringify(s), s]))('decodes %s', (_label, s) => {
    const ids = ref.encode(s).ids;
    // tokenizers.js refuses an empty id list; the empty decode is plainly "".
    if (ids.length === 0) return expect(ours.decode(ids)).toBe('');
    for (const skip of [false, true]) {
      expect(ours.decode(ids, { skipSpecialTokens: skip })).toBe(ref.decode(ids, { skip_special_tokens: skip, clean_up_tokenization_spaces: false }));
    }
  });
});

describe('GPT-2 tokenizer against known ids', () => {
  it('gives the ids GPT-2 is known for', () => {
    const t = new Tokenizer(buildGpt2TokenizerJson());
    expect(t.encode('Hello world')).toEqual([15496, 995]);
    expect(t.encode('<|endoftext|>')).toEqual([50256]);
    expect(t.decode([15496, 995])).toBe('Hello world');
  });
});

describe('long inputs', () => {
  it('match Hugging Face on a long line and stay fast', () => {
    const json = buildSentencePieceTokenizerJson({ vocabSize: 600 });
    const ours = new Tokenizer(structuredClone(json));
    const ref = new HfTokenizer(structuredClone(json), {});
    // One whitespace-free "word" for the legacy layout: the whole line goes through BPE at once.
    const text = FIXTURE_STRINGS.join(' ').repeat(20);
    const t0 = performance.now();
    const ids = ours.encode(text);
    const ms = performance.now() - t0;
    expect(ids).toEqual(ref.encode(text).ids);
    expect(ms).toBeLessThan(2000);
  });
});
