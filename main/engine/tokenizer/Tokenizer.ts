// A tokenizer.json reader giving the same ids and text as Hugging Face's tokenizers for BPE
// models: byte-level (GPT-2, Llama-3, Qwen2) and SentencePiece-style (Llama/Mistral, byte
// fallback). Pipeline per encode: cut out added tokens -> normalize -> pre-tokenize -> BPE ->
// post-process (special tokens only where the file's post-processor adds them).
import { InputFileError, INPUT_LIMITS, inputExists, readJsonFile } from '../../files/readInputFile';
import { join } from 'node:path';
import { BpeModel } from './BpeModel';
import { parseAddedTokens, TokenMatcher, type AddedToken, type Piece } from './AddedVocabulary';
import { buildNormalizer, type Normalizer } from './buildNormalizer';
import { buildPreTokenizer, type PreTokenizer } from './buildPreTokenizer';
import { buildPostProcessor, type PostProcessor } from './buildPostProcessor';
import { buildDecoder, type Decoder } from './buildDecoder';
import { TokenizerError } from './TokenizerError';

export interface EncodeOptions {
  /** Apply the post-processor (BOS/EOS as the file defines). Default true, as in HF. */
  addSpecialTokens?: boolean;
}

export interface DecodeOptions {
  skipSpecialTokens?: boolean;
  /** transformers' clean_up_tokenization_spaces (" ." -> ".", " n't" -> "n't", ...). */
  cleanUpTokenizationSpaces?: boolean;
}

export type TokenizerKind = 'byte-level-bpe' | 'sentencepiece-bpe' | 'bpe';

export class Tokenizer {
  readonly model: BpeModel;
  readonly addedTokens: AddedToken[];
  private readonly addedById = new Map<number, AddedToken>();
  private readonly addedByContent = new Map<string, AddedToken>();
  private readonly rawMatcher: TokenMatcher;
  private readonly normalizedMatcher: TokenMatcher;
  private readonly normalizer: Normalizer | null;
  private readonly preTokenizer: PreTokenizer | null;
  private readonly postProcessor: PostProcessor | null;
  private readonly decoder: Decoder | null;
  readonly kind: TokenizerKind;

  constructor(readonly json: Record<string, unknown>) {
    this.model = new BpeModel(json['model']);
    this.addedTokens = parseAddedTokens(json['added_tokens']);
    for (const t of this.addedTokens) {
      this.addedById.set(t.id, t);
      this.addedByContent.set(t.content, t);
    }
    this.normalizer = buildNormalizer(json['normalizer']);
    this.rawMatcher = new TokenMatcher(this.addedTokens.filter((t) => !t.normalized));
    // As in the Rust AddedVocabulary, normalized tokens are matched by their normalized spelling.
    const norm = this.normalizer;
    this.normalizedMatcher = new TokenMatcher(this.addedTokens.filter((t) => t.normalized).map((t) => (norm ? { ...t, content: norm(t.content) } : t)));
    this.preTokenizer = buildPreTokenizer(json['pre_tokenizer']);
    this.postProcessor = buildPostProcessor(json['post_processor']);
    this.decoder = buildDecoder(json['decoder']);
    // Reported by `studio model inspect`: ByteLevel anywhere means GPT-2-style byte-level BPE;
    // the "▁" word marker or byte fallback means SentencePiece-style.
    const text = JSON.stringify([json['normalizer'], json['pre_tokenizer'], json['decoder']]);
    const byteFallback = (json['model'] as Record<string, unknown>)['byte_fallback'] === true;
    if (text.includes('"ByteLevel"')) this.kind = 'byte-level-bpe';
    else if (text.includes('▁') || byteFallback) this.kind = 'sentencepiece-bpe';
    else this.kind = 'bpe';
  }

  static fromFile(path: string): Tokenizer {
    if (!inputExists(path)) throw new TokenizerError(path, 'missing file');
    let json: unknown;
    try {
      json = readJsonFile(path, INPUT_LIMITS.tokenizerJson);
    } catch (e) {
      throw new TokenizerError(path, e instanceof InputFileError ? e.shortMessage : (e as Error).message);
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new TokenizerError(path, 'not a JSON object');
    const model = (json as Record<string, unknown>)['model'];
    if (model === null || typeof model !== 'object' || Array.isArray(model)) throw new TokenizerError(path, 'model: missing; a tokenizer.json needs a "model" object (type, vocab, merges)');
    try {
      return new Tokenizer(json as Record<string, unknown>);
    } catch (e) {
      // A field the builders did not expect (wrong type deep inside) still names the file.
      if (e instanceof TokenizerError) throw new TokenizerError(e.path ? `${path} (at ${e.path})` : path, e.shortMessage);
      throw new TokenizerError(path, `unreadable: ${(e as Error).message}`);
    }
  }

  static fromModelDir(dir: string): Tokenizer {
    const p = join(dir, 'tokenizer.json');
    if (!inputExists(p)) throw new TokenizerError(p, `missing: the model folder ${dir} has no tokenizer.json`);
    return Tokenizer.fromFile(p);
  }

  /** Largest id + 1 over the model vocabulary and the added tokens. */
  get vocabSize(): number {
    let n = this.model.idToToken.length;
    for (const t of this.addedTokens) n = Math.max(n, t.id + 1);
    return n;
  }

  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.model.idToToken[id];
  }

  tokenToId(token: string): number | undefined {
    return this.addedByContent.get(token)?.id ?? this.model.vocab.get(token);
  }

  isSpecial(id: number): boolean {
    return this.addedById.get(id)?.special === true;
  }

  encode(text: string, opts: EncodeOptions = {}): number[] {
    const ids: number[] = [];
    for (const piece of this.splitAdded(text)) {
      if ('id' in piece) {
        ids.push(piece.id);
        continue;
      }
      const words = this.preTokenizer ? this.preTokenizer(piece.text, piece.start === 0) : [piece.text];
      for (const w of words) ids.push(...this.model.tokenize(w));
    }
    const add = opts.addSpecialTokens ?? true;
    return add && this.postProcessor ? this.postProcessor(ids) : ids;
  }

  /** Raw-matched tokens first, then normalize each remaining piece and match normalized tokens. */
  private splitAdded(text: string): Piece[] {
    const out: Piece[] = [];
    for (const p of this.rawMatcher.split(text, 0)) {
      if ('id' in p) {
        out.push(p);
        continue;
      }
      const norm = this.normalizer ? this.normalizer(p.text) : p.text;
      // Offsets inside the normalized text only matter for "starts the input"; keep p.start for
      // the first sub-piece and mark the others as not at the start.
      this.normalizedMatcher.split(norm, 0).forEach((q) => out.push('id' in q ? q : { text: q.text, start: q.start === 0 ? p.start : p.start + 1 }));
    }
    return out;
  }

  decode(ids: readonly number[], opts: DecodeOptions = {}): string {
    const tokens: string[] = [];
    for (const id of ids) {
      const added = this.addedById.get(id);
      if (added?.special && opts.skipSpecialTokens) continue;
      const t = added?.content ?? this.model.idToToken[id];
      if (t !== undefined) tokens.push(t);
    }
    let text = this.decoder ? this.decoder(tokens).join('') : tokens.join(' ');
    if (opts.cleanUpTokenizationSpaces) text = cleanUpTokenizationSpaces(text);
    return text;
  }
}

export function cleanUpTokenizationSpaces(s: string): string {
  return s
    .replaceAll(' .', '.')
    .replaceAll(' ?', '?')
    .replaceAll(' !', '!')
    .replaceAll(' ,', ',')
    .replaceAll(" ' ", "'")
    .replaceAll(" n't", "n't")
    .replaceAll(" 'm", "'m")
    .replaceAll(" 's", "'s")
    .replaceAll(" 've", "'ve")
    .replaceAll(" 're", "'re");
}
