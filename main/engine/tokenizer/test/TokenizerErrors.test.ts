import { describe, expect, it } from 'vitest';
import { Tokenizer } from '../Tokenizer';
import { TokenizerError } from '../TokenizerError';
import { translateRegex } from '../translateRegex';
import { buildSentencePieceTokenizerJson } from '../../testModels/buildSentencePieceTokenizerJson';

const base = () => buildSentencePieceTokenizerJson({ vocabSize: 400 });

describe('tokenizer.json this reader cannot honour is refused with its path', () => {
  it.each([
    ['normalizer', { type: 'Precompiled', precompiled_charsmap: '' }, /normalizer\.type: unsupported normalizer "Precompiled"/],
    ['pre_tokenizer', { type: 'BertPreTokenizer' }, /pre_tokenizer\.type/],
    ['decoder', { type: 'WordPiece' }, /decoder\.type/],
    ['model', { type: 'Unigram', vocab: [] }, /model\.type: unsupported model "Unigram"/],
  ])('%s', (key, value, message) => {
    const json = { ...base(), [key]: value };
    expect(() => new Tokenizer(json)).toThrow(TokenizerError);
    expect(() => new Tokenizer(json)).toThrow(message);
  });
  it('a merge naming a missing token', () => {
    const json = base();
    (json['model'] as { merges: unknown[] }).merges.push(['zz', 'qq']);
    expect(() => new Tokenizer(json)).toThrow(/model\.merges\[\d+\]: merge \["zz","qq"\] uses a token missing/);
  });
  it('a missing tokenizer.json names the folder', () => {
    expect(() => Tokenizer.fromModelDir('/nonexistent/model')).toThrow(/\/nonexistent\/model has no tokenizer\.json/);
  });
});

describe('translateRegex', () => {
  it('folds (?i:...) groups and uses Oniguruma whitespace', () => {
    const re = translateRegex("(?i:'s|'t)|\\s+");
    expect("IT'S".match(re)).toEqual(["'S"]);
    expect('a\u0085b'.match(translateRegex('\\s'))).toEqual(['\u0085']);
    expect('a\ufeffb'.match(translateRegex('\\s'))).toBeNull();
  });
});
