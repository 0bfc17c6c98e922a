import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../Tokenizer';
import { DecodeStream } from '../DecodeStream';
import { renderChatTemplate } from '../renderChatTemplate';
import { FIXTURE_STRINGS } from './fixtureStrings';
import { buildGpt2TokenizerJson } from '../../testModels/buildGpt2TokenizerJson';
import { buildSentencePieceTokenizerConfig, buildSentencePieceTokenizerJson } from '../../testModels/buildSentencePieceTokenizerJson';

const tokenizers: [string, Tokenizer][] = [
  ['gpt2', new Tokenizer(buildGpt2TokenizerJson())],
  ['sentencepiece', new Tokenizer(buildSentencePieceTokenizerJson({ vocabSize: 600 }))],
];

describe.each(tokenizers)('DecodeStream (%s)', (_name, tok) => {
  it('streams exactly the full decode and never emits half a character', () => {
    for (const s of FIXTURE_STRINGS) {
      const ids = tok.encode(s, { addSpecialTokens: false });
      const stream = new DecodeStream(tok);
      let text = '';
      for (const id of ids) {
        const piece = stream.step(id);
        expect(piece.includes('\ufffd') && !tok.decode(ids).includes('\ufffd')).toBe(false);
        text += piece;
      }
      text += stream.flush();
      expect(text).toBe(tok.decode(ids));
    }
  });
  it('holds back an emoji split over byte tokens until it is complete', () => {
    const ids = tok.encode('👍🏽', { addSpecialTokens: false });
    expect(ids.length).toBeGreaterThan(2);
    const stream = new DecodeStream(tok);
    const pieces = ids.map((id) => stream.step(id));
    expect(pieces).toContain('');
    for (const p of pieces) expect(p).not.toContain('\ufffd');
    expect(pieces.join('')).toBe('👍🏽');
  });
  it('keeps the leading space of a generated word after a primed prompt', () => {
    const prompt = tok.encode('Hello', { addSpecialTokens: false });
    const gen = tok.encode('Hello world', { addSpecialTokens: false }).slice(prompt.length);
    const stream = new DecodeStream(tok);
    stream.prime(prompt);
    expect(gen.map((id) => stream.step(id)).join('')).toBe(' world');
  });
});

describe('chat templates', () => {
  it('renders the Llama-2-style template of the test tokenizer', () => {
    const text = renderChatTemplate(buildSentencePieceTokenizerConfig(), [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello' },
    ]);
    expect(text).toBe('<s><<SYS>>\nBe brief.\n<</SYS>>\n\n[INST] Hi [/INST] Hello</s>');
  });
  it('renders a ChatML template with the generation prompt', () => {
    const config = {
      chat_template:
        "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
    };
    expect(renderChatTemplate(config, [{ role: 'user', content: 'Hi' }], { addGenerationPrompt: true })).toBe('<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n');
    expect(() => renderChatTemplate({}, [])).toThrow(/no chat_template/);
  });
});
