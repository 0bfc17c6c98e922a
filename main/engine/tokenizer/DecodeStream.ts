// Incremental decoding for streamed generation. A token may end in the middle of a UTF-8
// character (byte-level BPE, byte fallback) and some decoders treat the first token specially
// (strip its leading space), so each step decodes a small window: the tokens already shown as
// context plus the new ones, and emits only the text past the context, once it no longer ends
// in U+FFFD (an incomplete character). Concatenated output equals decode(all ids).
import type { DecodeOptions, Tokenizer } from './Tokenizer';

export class DecodeStream {
  private window: number[] = [];
  /** decode(window[0..contextLength]): text already emitted (or primed) for the context ids. */
  private prefix = '';
  private contextLength = 0;

  constructor(
    private readonly tokenizer: Tokenizer,
    private readonly opts: DecodeOptions = {},
  ) {}

  /** Use the prompt's last ids as context so the first generated token decodes in place. */
  prime(ids: readonly number[]): void {
    this.window = ids.slice(-4);
    this.contextLength = this.window.length;
    this.prefix = this.tokenizer.decode(this.window, this.opts);
  }

  /** Feeds one id; returns the newly completed text ('' while a character is incomplete). */
  step(id: number): string {
    this.window.push(id);
    const text = this.tokenizer.decode(this.window, this.opts);
    if (text.length <= this.prefix.length || text.endsWith('\ufffd') || !text.startsWith(this.prefix)) return '';
    const out = text.slice(this.prefix.length);
    // The ids just emitted become the context for the next step.
    this.window = this.window.slice(this.contextLength);
    this.contextLength = this.window.length;
    this.prefix = this.tokenizer.decode(this.window, this.opts);
    return out;
  }

  /** Whatever is still held back (e.g. bytes that never completed a character). */
  flush(): string {
    const text = this.tokenizer.decode(this.window, this.opts);
    const out = text.startsWith(this.prefix) ? text.slice(this.prefix.length) : '';
    this.window = [];
    this.contextLength = 0;
    this.prefix = '';
    return out;
  }
}
