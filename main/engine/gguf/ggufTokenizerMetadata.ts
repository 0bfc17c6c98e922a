// tokenizer.ggml.* metadata from a tokenizer.json, as llama.cpp's converter writes it.
// Byte-level BPE -> model "gpt2" with the merges; SentencePiece-style BPE -> model "llama" with
// scores. llama.cpp's SPM tokenizer merges the pair whose result scores highest, so a score of
// -id (ids follow merge order in our vocabularies, as in SentencePiece's) reproduces BPE ranks.
import type { Tokenizer } from '../tokenizer/Tokenizer';
import type { GgufValue } from './encodeGguf';

// llama.cpp token types.
const NORMAL = 1;
const UNKNOWN = 2;
const CONTROL = 3;
const USER_DEFINED = 4;
const BYTE = 6;

export function ggufTokenizerMetadata(tok: Tokenizer, ids: { bos: number; eos: number }): [string, GgufValue][] {
  const n = tok.vocabSize;
  const tokens: string[] = [];
  const types: number[] = [];
  for (let id = 0; id < n; id++) {
    const t = tok.idToToken(id);
    // Holes in the id space still need a distinct entry.
    tokens.push(t ?? `[PAD${id}]`);
    const added = tok.addedTokens.find((a) => a.id === id);
    if (t === undefined) types.push(CONTROL);
    else if (added) types.push(added.special ? (t === '<unk>' ? UNKNOWN : CONTROL) : USER_DEFINED);
    else if (/^<0x[0-9A-F]{2}>$/.test(t)) types.push(BYTE);
    else types.push(NORMAL);
  }
  const model = tok.json['model'] as { merges: (string | [string, string])[]; unk_token?: string | null };
  const common: [string, GgufValue][] = [
    ['tokenizer.ggml.tokens', { type: 'strings', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'i32s', value: types }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: ids.bos }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: ids.eos }],
  ];
  if (tok.kind === 'byte-level-bpe') {
    const merges = model.merges.map((m) => (typeof m === 'string' ? m : m.join(' ')));
    return [
      ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
      ['tokenizer.ggml.pre', { type: 'string', value: 'gpt-2' }],
      ...common,
      ['tokenizer.ggml.merges', { type: 'strings', value: merges }],
      ['tokenizer.ggml.add_bos_token', { type: 'bool', value: false }],
    ];
  }
  const unk = typeof model.unk_token === 'string' ? tok.tokenToId(model.unk_token) : undefined;
  return [
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.pre', { type: 'string', value: 'default' }],
    ...common,
    ['tokenizer.ggml.scores', { type: 'f32s', value: tokens.map((_, id) => (types[id] === NORMAL ? -id : 0)) }],
    ...(unk !== undefined ? ([['tokenizer.ggml.unknown_token_id', { type: 'u32', value: unk }]] as [string, GgufValue][]) : []),
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: tok.encode('', { addSpecialTokens: true }).includes(ids.bos) }],
  ];
}
