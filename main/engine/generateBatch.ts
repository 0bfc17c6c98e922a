// Generation for several prompts at once on one batched KV cache: every prompt is tokenized as
// generate() does, the rows are left-padded to the longest and fed in one prefill (padding
// masked out, each row's positions starting at its own first token), then all rows step together.
// Each row has its own sampling params, seed, stop ids and token budget; a row that has stopped
// keeps stepping with its last token (its logits are ignored) until every row is done. The result
// per row is what generate() returns for that prompt alone.
import type { Tokenizer } from './tokenizer/Tokenizer';
import { DecodeStream } from './tokenizer/DecodeStream';
import { sampleToken } from './sampling/sampleToken';
import { Xoshiro128 } from './sampling/Xoshiro128';
import type { GenerateOptions, GenerateResult, GeneratedToken } from './generate';

/** A model behind a batched KV cache: all rows' prompts first, then one token per row at a time. */
export interface BatchLogitsSource {
  /** Positions one row may hold (the model's maxPositions). */
  readonly maxPositions: number;
  /** Cache slots a row may hold, padding included (at most maxPositions). */
  readonly capacity: number;
  /** Feeds one prompt per row (any lengths); returns each row's logits after its last token. */
  prefill(rows: readonly (readonly number[])[]): (Float32Array | Float64Array)[];
  /** Feeds one token per row; returns each row's logits after it. */
  step(ids: readonly number[]): (Float32Array | Float64Array)[];
}

interface RowState {
  ids: number[];
  opts: GenerateOptions;
  rng: Xoshiro128;
  stream: DecodeStream;
  tokens: GeneratedToken[];
  text: string;
  done: boolean;
}

/**
 * Generates for every prompt; `opts` is shared by all rows or given per row. Returns one
 * result per prompt, in order, equal to `generate(source-for-that-prompt, tokenizer, prompt, opts)`.
 * Throws when the longest prompt plus the longest generation would not fit the cache's slots.
 */
export function generateBatch(source: BatchLogitsSource, tokenizer: Tokenizer, prompts: readonly string[], opts: GenerateOptions | readonly GenerateOptions[]): GenerateResult[] {
  if (prompts.length === 0) return [];
  const optsOf = (b: number): GenerateOptions => (Array.isArray(opts) ? (opts as readonly GenerateOptions[])[b]! : (opts as GenerateOptions));
  if (Array.isArray(opts) && opts.length !== prompts.length) throw new Error(`generateBatch: ${opts.length} option sets for ${prompts.length} prompts`);
  const rows: RowState[] = prompts.map((prompt, b) => {
    const ids = tokenizer.encode(prompt);
    if (ids.length === 0) throw new Error(`prompt ${b} encodes to no tokens; give a non-empty prompt`);
    if (ids.length >= source.maxPositions) throw new Error(`prompt ${b} is ${ids.length} tokens; the model holds at most ${source.maxPositions}`);
    const o = optsOf(b);
    const stream = new DecodeStream(tokenizer, { skipSpecialTokens: true });
    stream.prime(ids);
    return { ids, opts: o, rng: new Xoshiro128(o.seed ?? 0), stream, tokens: [], text: '', done: o.maxTokens <= 0 };
  });
  // Slots: the longest prompt, then one per step; row b steps at most min(maxTokens,
  // maxPositions - its length) - 1 times (as generate() does).
  const longest = Math.max(...rows.map((r) => r.ids.length));
  const maxSteps = Math.max(0, ...rows.map((r) => Math.min(r.opts.maxTokens, source.maxPositions - r.ids.length) - 1));
  if (longest + maxSteps > source.capacity)
    throw new Error(`generateBatch: the longest prompt (${longest} tokens) plus ${maxSteps} steps needs ${longest + maxSteps} cache slots; the cache holds ${source.capacity}. Lower maxTokens or batch long and short prompts apart`);
  if (rows.every((r) => r.done)) return rows.map(() => ({ text: '', tokens: [] }));

  let logits = source.prefill(rows.map((r) => r.ids.slice()));
  for (;;) {
    for (let b = 0; b < rows.length; b++) {
      const r = rows[b]!;
      if (!r.done) sampleInto(r, logits[b]!, tokenizer, source.maxPositions);
    }
    if (rows.every((r) => r.done)) break;
    logits = source.step(rows.map((r) => r.ids[r.ids.length - 1]!));
  }
  return rows.map((r) => ({ text: r.text, tokens: r.tokens }));
}

// One step of generate()'s loop for one row: sample, stream, and decide whether it was the last.
function sampleInto(r: RowState, logits: Float32Array | Float64Array, tokenizer: Tokenizer, maxPositions: number): void {
  const choice = sampleToken(logits, r.opts, r.rng, r.ids);
  r.ids.push(choice.id);
  const piece = r.stream.step(choice.id);
  r.text += piece;
  const token: GeneratedToken = {
    id: choice.id,
    text: piece,
    logprob: choice.logprob,
    top: choice.top.map((t) => ({ ...t, text: tokenizer.decode([t.id]) })),
  };
  r.tokens.push(token);
  const last = r.tokens.length === r.opts.maxTokens || r.opts.stopIds?.includes(choice.id) === true || r.ids.length >= maxPositions;
  if (last) {
    // Bytes that never completed a character belong to the last token.
    const rest = r.stream.flush();
    token.text += rest;
    r.text += rest;
    r.done = true;
  }
  r.opts.onToken?.(token);
}
