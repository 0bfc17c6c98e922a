import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '../Tokenizer';
import { renderChatTemplate } from '../renderChatTemplate';
import { BPE_EOS, CHATML_END, CHATML_START, trainByteLevelBpe } from '../trainByteLevelBpe';
import { FIXTURE_STRINGS } from './fixtureStrings';

// A small English corpus that ships with the repository: its own documentation.
const corpus = ['README.md', 'docs/ARCHITECTURE.md', 'main/engine/README.md'].map((f) => readFileSync(f, 'utf8'));
const heldOut = readFileSync('native/README.md', 'utf8').slice(0, 20_000);

describe('trainByteLevelBpe', () => {
  const trained = trainByteLevelBpe(corpus, { vocabSize: 800 });
  const json = trained.tokenizerJson;
  const ours = new Tokenizer(structuredClone(json));
  const ref = new HfTokenizer(structuredClone(json), { clean_up_tokenization_spaces: false });

  it('learns the merges asked for, bytes first and special tokens last', () => {
    expect(trained.merges).toBe(800 - 256 - 3);
    const model = json.model as { vocab: Record<string, number>; merges: string[] };
    expect(Object.keys(model.vocab)).toHaveLength(800);
    expect(model.merges).toHaveLength(trained.merges);
    expect(model.vocab['!']).toBe(0x21);
    expect(model.vocab[BPE_EOS]).toBe(797);
    expect(model.vocab[CHATML_END]).toBe(799);
    // common English pieces became single tokens
    expect(ours.encode(' the')).toHaveLength(1);
  });

  it('is deterministic: the same corpus gives the same files', () => {
    expect(JSON.stringify(trainByteLevelBpe(corpus, { vocabSize: 800 }))).toBe(JSON.stringify(trained));
  });

  it.each([...FIXTURE_STRINGS, heldOut].map((s) => [JSON.stringify(s.slice(0, 40)), s]))('@huggingface/tokenizers and this engine give the same ids for %s, and decoding restores it', (_label, s) => {
    const ids = ours.encode(s);
    expect(ids).toEqual(ref.encode(s).ids);
    expect(ours.decode(ids)).toBe(s);
  });

  it('EOS and the ChatML template: special tokens are single ids in both tokenizers', () => {
    const prompt = renderChatTemplate(trained.tokenizerConfig, [
      { role: 'user', content: 'Who keeps the data?' },
      { role: 'assistant', content: 'The curators keep it.' },
      { role: 'user', content: 'Where?' },
    ], { addGenerationPrompt: true });
    expect(prompt).toBe(`${CHATML_START}user\nWho keeps the data?${CHATML_END}\n${CHATML_START}assistant\nThe curators keep it.${CHATML_END}\n${CHATML_START}user\nWhere?${CHATML_END}\n${CHATML_START}assistant\n`);
    const ids = ours.encode(prompt);
    expect(ids).toEqual(ref.encode(prompt).ids);
    expect(ids.filter((i) => i === 798)).toHaveLength(4);
    expect(ids.filter((i) => i === 799)).toHaveLength(3);
    expect(ours.encode(`end of text${BPE_EOS}`).at(-1)).toBe(797);
    expect(trained.tokenizerConfig).toMatchObject({ eos_token: BPE_EOS, pad_token: BPE_EOS, bos_token: null });
  });

  it('refuses a vocabulary too small for the bytes and special tokens', () => {
    expect(() => trainByteLevelBpe(corpus, { vocabSize: 258 })).toThrow(/vocabSize: 258 is below 256 bytes \+ 3 special tokens/);
  });
});
