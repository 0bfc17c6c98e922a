// The generation loop shared by every backend: tokenize the prompt exactly as HF does, feed it,
// then sample token by token, streaming each with its text (complete UTF-8 only), its natural-log
// probability under the unmodified distribution and the top alternatives. The result is the
// `studio generate --json` shape.
import type { Tokenizer } from './tokenizer/Tokenizer';
import { DecodeStream } from './tokenizer/DecodeStream';
import { sampleToken, type SamplingParams } from './sampling/sampleToken';
import { Xoshiro128 } from './sampling/Xoshiro128';

/** A model behind a KV cache (or a slow stand-in): prompt first, then one token at a time. */
export interface LogitsSource {
  readonly maxPositions: number;
  /** Feeds the prompt; returns the logits after its last token ([vocab]). */
  prefill(ids: readonly number[]): Float32Array | Float64Array;
  /** Feeds one token; returns the logits after it. */
  step(id: number): Float32Array | Float64Array;
}

export interface GenerateOptions extends SamplingParams {
  maxTokens: number;
  seed?: number;
  /** Generation stops after emitting one of these (the model's eos_token_id). */
  stopIds?: number[];
  onToken?: (token: GeneratedToken) => void;
}

export interface GeneratedToken {
  id: number;
  /** The text this token completes ('' while a UTF-8 character is split over tokens). */
  text: string;
  logprob: number;
  top: { id: number; text: string; logprob: number }[];
}

export interface GenerateResult {
  text: string;
  tokens: GeneratedToken[];
}

export function generate(source: LogitsSource, tokenizer: Tokenizer, prompt: string, opts: GenerateOptions): GenerateResult {
  const ids = tokenizer.encode(prompt);
  if (ids.length === 0) throw new Error('the prompt encodes to no tokens; give a non-empty prompt');
  if (ids.length >= source.maxPositions) throw new Error(`the prompt is ${ids.length} tokens; the model holds at most ${source.maxPositions}`);
  const rng = new Xoshiro128(opts.seed ?? 0);
  const stream = new DecodeStream(tokenizer, { skipSpecialTokens: true });
  stream.prime(ids);
  const tokens: GeneratedToken[] = [];
  let text = '';
  let logits = source.prefill(ids);
  for (let n = 0; n < opts.maxTokens; n++) {
    const choice = sampleToken(logits, opts, rng, ids);
    ids.push(choice.id);
    const piece = stream.step(choice.id);
    text += piece;
    const token: GeneratedToken = {
      id: choice.id,
      text: piece,
      logprob: choice.logprob,
      top: choice.top.map((t) => ({ ...t, text: tokenizer.decode([t.id]) })),
    };
    tokens.push(token);
    const last = n + 1 === opts.maxTokens || opts.stopIds?.includes(choice.id) || ids.length >= source.maxPositions;
    if (last) {
      // Bytes that never completed a character belong to the last token.
      const rest = stream.flush();
      token.text += rest;
      text += rest;
    }
    opts.onToken?.(token);
    if (last) break;
    logits = source.step(choice.id);
  }
  return { text, tokens };
}
