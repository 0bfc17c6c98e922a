import type { GenerateOptions, GeneratedToken } from '../engine/generate';
import type { ModelSpec } from '../engine/modelConfig';
import type { NativeEngine, NativeModel, NativeSession } from '../engine/native/index';
import type { LoraAdapter } from '../engine/peft/LoraAdapter';
import { sampleToken } from '../engine/sampling/sampleToken';
import { Xoshiro128 } from '../engine/sampling/Xoshiro128';
import { DecodeStream } from '../engine/tokenizer/DecodeStream';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import { AdapterCache, type ResidentAdapter } from './AdapterCache';

export type FinishReason = 'stop' | 'length' | 'cancelled';

export interface ServeRequest {
  /** A registered adapter name (resolved by the core's loader), or null for the base model. */
  adapter: string | null;
  /** Token ids of the prompt (the caller applied any chat template). */
  promptIds: number[];
  opts: Omit<GenerateOptions, 'onToken'> & {
    /** Text that ends the generation (not included), as OpenAI's `stop`. */
    stopStrings?: string[];
  };
  onToken?: (token: GeneratedToken) => void;
}

export interface ServeResult {
  text: string;
  tokens: GeneratedToken[];
  finishReason: FinishReason;
  promptTokens: number;
  warning: string | null;
}

export interface ServeHandle {
  readonly done: Promise<ServeResult>;
  /** Frees the row at the next step boundary (a client that went away). */
  cancel(): void;
}

export interface ServingCoreOptions {
  /** Bytes of padded adapter factors kept resident (LRU beyond it). */
  adapterBudgetBytes: number;
  /** The LoRA slot's rank: the largest adapter rank served. */
  slotRank: number;
  /** Rows decoding at once (each holds a KV cache); later requests wait their turn. Default 64. */
  maxActive?: number;
  /** Loads a registered adapter (checked against this base) with any warning to pass on. */
  loadAdapter(name: string): { adapter: LoraAdapter; warning: string | null };
}

interface Row {
  req: ServeRequest;
  adapter: ResidentAdapter | null;
  session: NativeSession | null;
  ids: number[];
  rng: Xoshiro128;
  stream: DecodeStream;
  tokens: GeneratedToken[];
  text: string;
  cancelled: boolean;
  resolve(r: ServeResult): void;
  reject(e: Error): void;
}

const SLOT_TARGETS: Record<ModelSpec['arch'], string[]> = { gpt2: ['c_attn', 'c_proj', 'c_fc'], llama: ['q', 'k', 'v', 'o', 'gate', 'up', 'down'] };

/**
 * One base model resident, many adapters, continuous batching. Each request is a row with its own
 * KV cache; between decode steps new rows join (prefill) and finished or cancelled rows leave, so
 * a request never waits for another to finish. The model has one LoRA slot over every adaptable
 * module (AdapterCache pads each adapter into it); a step serves the rows grouped by adapter,
 * switching the slot's tensors between groups. This first version steps rows one by one; the
 * segmented batched product (one base GEMM for all rows) is the next step in native code.
 *
 * Native work is synchronous: the loop yields to the event loop after every step, which is where
 * new requests and cancels arrive.
 */
export class ServingCore {
  private readonly cache: AdapterCache;
  private readonly pending: Row[] = [];
  private readonly active: Row[] = [];
  private loaded: string | null | undefined = undefined; // adapter in the slot (null: zeros)
  private readonly nonZero = new Set<string>();
  private readonly zeros = new Map<string, Float32Array>();
  private running = false;
  private closed = false;
  private readonly maxActive: number;
  steps = 0;
  switches = 0;
  /** Rows ended by cancel (a client that went away) rather than by finishing. */
  cancelled = 0;

  constructor(
    private readonly engine: NativeEngine,
    private readonly model: NativeModel,
    readonly spec: ModelSpec,
    readonly tokenizer: Tokenizer,
    opts: ServingCoreOptions,
  ) {
    model.addLora({ targets: SLOT_TARGETS[spec.arch], rank: opts.slotRank, alpha: opts.slotRank });
    for (const [name, t] of Object.entries(model.getLoraTensors())) this.zeros.set(name, new Float32Array(t.data.length));
    model.setLoraTensors(Object.fromEntries(this.zeros));
    this.loaded = null;
    this.cache = new AdapterCache(opts.adapterBudgetBytes, opts.slotRank, opts.loadAdapter);
    this.maxActive = opts.maxActive ?? 64;
  }

  stats() {
    return {
      active: this.active.length,
      pending: this.pending.length,
      resident: this.cache.residentKeys(),
      residentBytes: this.cache.residentBytes,
      budgetBytes: this.cache.budgetBytes,
      loads: this.cache.loads,
      evictions: this.cache.evictions,
      steps: this.steps,
      switches: this.switches,
      cancelled: this.cancelled,
    };
  }

  submit(req: ServeRequest): ServeHandle {
    let row!: Row;
    const done = new Promise<ServeResult>((resolve, reject) => {
      if (this.closed) throw new Error('the serving core is closed');
      if (req.promptIds.length === 0) throw new Error('the prompt encodes to no tokens; give a non-empty prompt');
      if (req.promptIds.length >= this.spec.maxPositions)
        throw new Error(`the prompt is ${req.promptIds.length} tokens; the model's context holds ${this.spec.maxPositions} (prompt and completion together)`);
      const stream = new DecodeStream(this.tokenizer, { skipSpecialTokens: true });
      stream.prime(req.promptIds);
      row = { req, adapter: null, session: null, ids: req.promptIds.slice(), rng: new Xoshiro128(req.opts.seed ?? 0), stream, tokens: [], text: '', cancelled: false, resolve, reject };
      this.pending.push(row);
      this.kick();
    });
    return { done, cancel: () => row && (row.cancelled = true) };
  }

  close(): void {
    this.closed = true;
    for (const r of [...this.pending, ...this.active]) r.reject(new Error('the serving core closed'));
    this.pending.length = 0;
    this.active.length = 0;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => this.loop());
  }

  private loop(): void {
    try {
      this.admit();
      this.step();
    } finally {
      if (!this.closed && (this.pending.length > 0 || this.active.length > 0)) setImmediate(() => this.loop());
      else this.running = false;
    }
  }

  /** Pending rows join: adapter acquired (or left waiting for budget), prompt prefilled, first token sampled. */
  private admit(): void {
    for (let i = 0; i < this.pending.length; ) {
      const row = this.pending[i]!;
      if (row.cancelled) {
        this.pending.splice(i, 1);
        this.cancelled++;
        row.resolve(this.result(row, 'cancelled'));
        continue;
      }
      if (this.active.length >= this.maxActive) break;
      try {
        if (row.req.adapter !== null) {
          const a = this.cache.acquire(row.req.adapter);
          if (!a) {
            // No room beside the adapters in use: wait for a row to leave (one always will, since
            // some are active); alone it fits, acquire() said so.
            i++;
            continue;
          }
          row.adapter = a;
        }
        this.pending.splice(i, 1);
        this.useAdapter(row.adapter);
        row.session = new this.engine.Session(this.model, { batch: 1, capacity: this.spec.maxPositions });
        const logits = row.session.prefill(Int32Array.from(row.ids));
        this.active.push(row);
        this.sample(row, logits);
      } catch (err) {
        if (this.pending[i] === row) this.pending.splice(i, 1);
        const at = this.active.indexOf(row);
        if (at >= 0) this.active.splice(at, 1);
        this.leave(row);
        row.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** One decode step for every active row, grouped by adapter. */
  private step(): void {
    for (const r of this.active.filter((x) => x.cancelled)) this.finish(r, 'cancelled');
    const groups = new Map<string | null, Row[]>();
    for (const r of this.active) {
      const k = r.adapter?.key ?? null;
      groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    // The group already in the slot first: one switch fewer per step.
    const order = [...groups.keys()].sort((a, b) => (a === this.loaded ? -1 : b === this.loaded ? 1 : 0));
    for (const k of order) {
      const rows = groups.get(k)!;
      this.useAdapter(rows[0]!.adapter);
      for (const r of rows) this.sample(r, r.session!.step(Int32Array.of(r.ids[r.ids.length - 1]!)));
    }
    if (this.active.length > 0) this.steps++;
  }

  // generate()'s per-token step: sample, stream, decide whether it was the last.
  private sample(row: Row, logits: Float32Array): void {
    const o = row.req.opts;
    const choice = sampleToken(logits, o, row.rng, row.ids);
    row.ids.push(choice.id);
    const piece = row.stream.step(choice.id);
    const token: GeneratedToken = { id: choice.id, text: piece, logprob: choice.logprob, top: choice.top.map((t) => ({ ...t, text: this.tokenizer.decode([t.id]) })) };
    row.tokens.push(token);
    let reason: FinishReason | null = null;
    if (o.stopIds?.includes(choice.id)) reason = 'stop';
    else if (row.tokens.length >= o.maxTokens || row.ids.length >= this.spec.maxPositions) reason = 'length';
    if (reason) {
      const rest = row.stream.flush();
      token.text += rest;
    }
    const stop = o.stopStrings?.length ? firstStop(row.text + token.text, o.stopStrings) : -1;
    if (stop >= 0) {
      // The stop text and what follows it are not part of the completion.
      token.text = (row.text + token.text).slice(0, stop).slice(row.text.length);
      reason = 'stop';
    }
    row.text += token.text;
    row.req.onToken?.(token);
    if (reason) this.finish(row, reason);
  }

  private finish(row: Row, reason: FinishReason): void {
    if (reason === 'cancelled') this.cancelled++;
    const i = this.active.indexOf(row);
    if (i >= 0) this.active.splice(i, 1);
    this.leave(row);
    row.resolve(this.result(row, reason));
  }

  private leave(row: Row): void {
    if (row.adapter) this.cache.release(row.adapter);
    row.session = null; // its KV cache goes with it
  }

  private result(row: Row, finishReason: FinishReason): ServeResult {
    return { text: row.text, tokens: row.tokens, finishReason, promptTokens: row.req.promptIds.length, warning: row.adapter?.warning ?? null };
  }

  /** Puts an adapter (or zeros) into the model's LoRA slot, touching only the modules that change. */
  private useAdapter(a: ResidentAdapter | null): void {
    const key = a?.key ?? null;
    if (this.loaded === key) return;
    const set: Record<string, Float32Array> = {};
    for (const name of this.nonZero) if (!a || !(name in a.tensors)) set[name] = this.zeros.get(name)!;
    this.nonZero.clear();
    if (a) {
      for (const [name, t] of Object.entries(a.tensors)) {
        set[name] = t;
        this.nonZero.add(name);
      }
    }
    this.model.setLoraTensors(set);
    this.loaded = key;
    this.switches++;
  }
}

function firstStop(text: string, stops: string[]): number {
  let best = -1;
  for (const s of stops) {
    const i = s ? text.indexOf(s) : -1;
    if (i >= 0 && (best < 0 || i < best)) best = i;
  }
  return best;
}
