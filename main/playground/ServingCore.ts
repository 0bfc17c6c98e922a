import type { GenerateOptions, GeneratedToken } from '../engine/generate';
import type { ModelSpec } from '../engine/modelConfig';
import type { NativeEngine, NativeModel, NativeSession } from '../engine/native/index';
import { sampleToken } from '../engine/sampling/sampleToken';
import { Xoshiro128 } from '../engine/sampling/Xoshiro128';
import { DecodeStream } from '../engine/tokenizer/DecodeStream';
import type { Tokenizer } from '../engine/tokenizer/Tokenizer';
import { AdapterCache, type CacheableAdapter, type ResidentAdapter } from './AdapterCache';

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
  /** Bytes of adapter factors kept in the model's LoRA bank (LRU beyond it). */
  adapterBudgetBytes: number;
  /** The largest adapter rank served. */
  maxRank: number;
  /** Rows decoding at once (each holds KV cache slots); later requests wait their turn. Default 64. */
  maxActive?: number;
  /**
   * Loads a registered adapter (checked against this base) with any warning to pass on: in
   * memory, or checked on disk (inspectPeftAdapter) for the bank to read from its file.
   */
  loadAdapter(name: string): { adapter: CacheableAdapter; warning: string | null };
  /** What a failure to read a checked adapter into the bank is reported as (default: as is). */
  adapterLoadError?: (name: string, err: Error) => Error;
  /** Prompt tokens per native prefill call (default 256): a long prompt is prefilled in slices,
   * the event loop served between them, so the serve process answers HTTP meanwhile. */
  prefillSlice?: number;
}

interface Row {
  req: ServeRequest;
  adapter: ResidentAdapter | null;
  ids: number[];
  rng: Xoshiro128;
  stream: DecodeStream;
  tokens: GeneratedToken[];
  text: string;
  cancelled: boolean;
  done: boolean;
  resolve(r: ServeResult): void;
  reject(e: Error): void;
}

/** Rows admitted together: one batched KV-cache session, stepped as one native call. */
interface Cohort {
  session: NativeSession;
  rows: Row[];
  /** While the prompts are still being prefilled: the left-padded (batch, n) tokens and how many
   * columns are in the cache. Decode steps start once it is null. */
  prefill: { tokens: Int32Array; n: number; at: number } | null;
}

/**
 * One base model resident, many adapters, continuous batching. Requests that arrive together are
 * admitted together into a cohort: one batched session (prompts left-padded, per-row positions)
 * whose every step is one native call for all its rows, the base GEMMs shared and each row's LoRA
 * product applied per segment from the model's LoRA bank (native segmented LoRA). Between decode
 * steps new cohorts join and finished or cancelled rows leave (a finished row's slot idles on the
 * base until its cohort ends), so a request never waits for another to finish. Each row computes
 * what its request would alone on a model with only its adapter: bit for bit.
 *
 * Native work is synchronous: the loop yields to the event loop after every step and after every
 * slice of a long prompt's prefill, which is where new requests, cancels and other HTTP arrive.
 */
export class ServingCore {
  private readonly cache: AdapterCache;
  private readonly pending: Row[] = [];
  private readonly cohorts: Cohort[] = [];
  private running = false;
  private closed = false;
  private readonly maxActive: number;
  private readonly prefillSliceTokens: number;
  steps = 0;
  /** Native prefill calls (a long prompt takes several). */
  prefillCalls = 0;
  /** Native step calls and the rows they carried (rows / calls: the batching achieved). */
  stepCalls = 0;
  stepRows = 0;
  /** Rows ended by cancel (a client that went away) rather than by finishing. */
  cancelled = 0;

  constructor(
    private readonly engine: NativeEngine,
    private readonly model: NativeModel,
    readonly spec: ModelSpec,
    readonly tokenizer: Tokenizer,
    opts: ServingCoreOptions,
  ) {
    this.cache = new AdapterCache(opts.adapterBudgetBytes, opts.maxRank, model, opts.loadAdapter, opts.adapterLoadError);
    this.maxActive = opts.maxActive ?? 64;
    this.prefillSliceTokens = Math.max(1, opts.prefillSlice ?? 256);
  }

  private get active(): number {
    return this.cohorts.reduce((n, c) => n + c.rows.filter((r) => !r.done).length, 0);
  }

  stats() {
    return {
      active: this.active,
      pending: this.pending.length,
      cohorts: this.cohorts.length,
      resident: this.cache.residentKeys(),
      residentBytes: this.cache.residentBytes,
      budgetBytes: this.cache.budgetBytes,
      loads: this.cache.loads,
      evictions: this.cache.evictions,
      bankMs: this.cache.bankMs,
      steps: this.steps,
      stepCalls: this.stepCalls,
      stepRows: this.stepRows,
      cancelled: this.cancelled,
    };
  }

  submit(req: ServeRequest): ServeHandle {
    let row: Row | undefined;
    const done = new Promise<ServeResult>((resolve, reject) => {
      if (this.closed) throw new Error('the serving core is closed');
      if (req.promptIds.length === 0) throw new Error('the prompt encodes to no tokens; give a non-empty prompt');
      if (req.promptIds.length >= this.spec.maxPositions)
        throw new Error(`the prompt is ${req.promptIds.length} tokens; the model's context holds ${this.spec.maxPositions} (prompt and completion together)`);
      const stream = new DecodeStream(this.tokenizer, { skipSpecialTokens: true });
      stream.prime(req.promptIds);
      row = { req, adapter: null, ids: req.promptIds.slice(), rng: new Xoshiro128(req.opts.seed ?? 0), stream, tokens: [], text: '', cancelled: false, done: false, resolve, reject };
      this.pending.push(row);
      this.kick();
    });
    return {
      done,
      cancel: () => {
        if (row) row.cancelled = true;
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const r of [...this.pending, ...this.cohorts.flatMap((c) => c.rows.filter((x) => !x.done))]) r.reject(new Error('the serving core closed'));
    this.pending.length = 0;
    this.cohorts.length = 0;
  }

  private kick(): void {
    if (this.running) return;
    this.running = true;
    setImmediate(() => this.loop());
  }

  private loop(): void {
    try {
      // Slices first: a cohort admitted in this turn has had its first slice and waits for the next turn.
      this.prefillSlices();
      this.admit();
      this.step();
    } finally {
      if (!this.closed && (this.pending.length > 0 || this.cohorts.length > 0)) setImmediate(() => this.loop());
      else this.running = false;
    }
  }

  /** Pending rows join: adapters acquired (or left waiting for budget), then prefilled as cohorts. */
  private admit(): void {
    const admitted: Row[] = [];
    let active = this.active;
    for (let i = 0; i < this.pending.length; ) {
      const row = this.pending[i]!;
      if (row.cancelled) {
        this.pending.splice(i, 1);
        this.cancelled++;
        row.resolve(this.result(row, 'cancelled'));
        continue;
      }
      if (active >= this.maxActive) break;
      try {
        if (row.req.adapter !== null) {
          const a = this.cache.acquire(row.req.adapter);
          if (!a) {
            // No room beside the adapters in use: wait for a row to leave (alone it fits:
            // acquire() said so).
            i++;
            continue;
          }
          row.adapter = a;
        }
      } catch (err) {
        this.pending.splice(i, 1);
        row.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      this.pending.splice(i, 1);
      admitted.push(row);
      active++;
    }
    for (const rows of this.groupIntoCohorts(admitted)) this.start(rows);
  }

  // Rows share a cohort while its longest prompt plus its longest generation fit the cache, so
  // no row ever gets fewer tokens than it would alone.
  private groupIntoCohorts(rows: Row[]): Row[][] {
    const P = this.spec.maxPositions;
    const stepsOf = (r: Row) => Math.max(0, Math.min(r.req.opts.maxTokens, P - r.ids.length) - 1);
    const groups: { rows: Row[]; longest: number; steps: number }[] = [];
    for (const r of rows) {
      const g = groups.find((x) => Math.max(x.longest, r.ids.length) + Math.max(x.steps, stepsOf(r)) <= P);
      if (g) {
        g.rows.push(r);
        g.longest = Math.max(g.longest, r.ids.length);
        g.steps = Math.max(g.steps, stepsOf(r));
      } else groups.push({ rows: [r], longest: r.ids.length, steps: stepsOf(r) });
    }
    return groups.map((g) => g.rows);
  }

  private start(rows: Row[]): void {
    const B = rows.length;
    const n = Math.max(...rows.map((r) => r.ids.length));
    const tokens = new Int32Array(B * n); // padding id 0: masked out
    rows.forEach((r, b) => tokens.set(r.ids, b * n + n - r.ids.length));
    let session: NativeSession;
    try {
      session = new this.engine.Session(this.model, { batch: B, capacity: this.spec.maxPositions });
    } catch (err) {
      this.failRows(rows, err);
      return;
    }
    const cohort: Cohort = { session, rows, prefill: { tokens, n, at: 0 } };
    this.cohorts.push(cohort);
    this.prefillNext(cohort);
  }

  /** One more slice of every cohort still prefilling (after admit, before the decode steps). */
  private prefillSlices(): void {
    for (const c of [...this.cohorts]) if (c.prefill) this.prefillNext(c);
  }

  /**
   * Appends the next slice of the cohort's prompts to its cache. The first slice holds every row's
   * left padding (the native prefill takes `lengths` on the first call only) plus up to a slice of
   * real tokens; later slices are real tokens of every row. The last one samples each row's first token.
   */
  private prefillNext(c: Cohort): void {
    const p = c.prefill!;
    const B = c.rows.length;
    const shortest = Math.min(...c.rows.map((r) => r.ids.length));
    const end = p.at === 0 ? Math.min(p.n, p.n - shortest + this.prefillSliceTokens) : Math.min(p.n, p.at + this.prefillSliceTokens);
    const w = end - p.at;
    try {
      const slice = w === p.n ? p.tokens : new Int32Array(B * w);
      if (slice !== p.tokens) for (let b = 0; b < B; b++) slice.set(p.tokens.subarray(b * p.n + p.at, b * p.n + end), b * w);
      const adapters = this.adapterIds(c.rows);
      const logits =
        p.at === 0 ? c.session.prefill(slice, { lengths: Int32Array.from(c.rows, (r) => r.ids.length - (p.n - end)), adapters }) : c.session.prefill(slice, { adapters });
      this.prefillCalls++;
      p.at = end;
      if (end < p.n) return;
      c.prefill = null;
      const V = logits.length / B;
      c.rows.forEach((r, b) => {
        if (!r.done) this.sample(r, logits.subarray(b * V, (b + 1) * V));
      });
    } catch (err) {
      this.failRows(c.rows, err);
      this.dropFinishedCohorts();
    }
  }

  private failRows(rows: Row[], err: unknown): void {
    for (const r of rows) {
      if (r.done) continue;
      r.done = true;
      if (r.adapter) this.cache.release(r.adapter);
      r.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  // A finished row idles on the base: its adapter may be evicted once released.
  private adapterIds(rows: Row[]): Int32Array {
    return Int32Array.from(rows, (r) => (r.done || !r.adapter ? -1 : r.adapter.bankId));
  }

  /** One decode step: one native call per cohort, every live row of it advancing one token. */
  private step(): void {
    for (const c of this.cohorts) for (const r of c.rows) if (!r.done && r.cancelled) this.finish(r, 'cancelled');
    this.dropFinishedCohorts();
    for (const c of this.cohorts) {
      if (c.prefill) continue;
      const logits = c.session.step(Int32Array.from(c.rows, (r) => r.ids[r.ids.length - 1]!), { adapters: this.adapterIds(c.rows) });
      this.stepCalls++;
      const V = logits.length / c.rows.length;
      c.rows.forEach((r, b) => {
        if (r.done) return;
        this.stepRows++;
        this.sample(r, logits.subarray(b * V, (b + 1) * V));
      });
    }
    if (this.cohorts.length > 0) this.steps++;
    this.dropFinishedCohorts();
  }

  private dropFinishedCohorts(): void {
    for (let i = this.cohorts.length - 1; i >= 0; i--) if (this.cohorts[i]!.rows.every((r) => r.done)) this.cohorts.splice(i, 1);
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
    if (reason) token.text += row.stream.flush();
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
    if (row.done) return;
    if (reason === 'cancelled') this.cancelled++;
    row.done = true;
    if (row.adapter) this.cache.release(row.adapter);
    row.resolve(this.result(row, reason));
  }

  private result(row: Row, finishReason: FinishReason): ServeResult {
    return { text: row.text, tokens: row.tokens, finishReason, promptTokens: row.req.promptIds.length, warning: row.adapter?.warning ?? null };
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
