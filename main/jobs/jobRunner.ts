import crypto from 'node:crypto';
import type { Worker } from 'node:worker_threads';
import { ErrorCode, StudioError, formatZodIssues, type ApiErrorData } from '../api/apiError';
import { jobParams, type Job, type JobKind, type JobParams, type JobParamsInput, type JobResult } from '../api/jobSchemas';
import type { CoreJobContext, JobKindDefinition } from './jobKind';
import type { Db } from '../workspace/openDatabase';
import { interruptionOf } from './interruptionOf';
import { jobKinds } from './jobKinds';
import { getJob, insertJob, listJobs, markFinished, markInterrupted, markStarted, oldestQueued, updateProgress } from './jobsRepository';
import { spawnWorker } from './spawnWorker';
import type { JobWorkerData, WorkerToRunner } from './workerMessages';

export interface JobRunnerHooks {
  onJob(job: Job): void;
  onLog(level: 'debug' | 'info' | 'warn' | 'error', message: string, jobId: string): void;
  maxConcurrent(): number;
}

interface Running {
  /** null for a job run on the core's thread (runInCore), which `abort` stops instead. */
  worker: Worker | null;
  abort: AbortController | null;
  params: JobParams<JobKind>;
  /** Shared with the worker (JobWorkerData.cancelFlag). */
  cancelFlag: Int32Array;
  cancelRequested: boolean;
  lastFlush: number;
  /** A flush due at the end of the interval, for a last update that came too soon after the previous. */
  flushTimer?: NodeJS.Timeout;
  pending: { progress: number | null; message: string | null } | null;
  done: Promise<void>;
}

/** How often progress reaches the database and the UI, at most. */
const PROGRESS_INTERVAL_MS = 200;
/** A cancelled job gets this long to stop on its own before its thread is terminated. */
const CANCEL_GRACE_MS = 3000;

/** The runner treats every kind alike: params typed as any kind's (each was parsed for its own). */
function definitionOf(kind: JobKind): JobKindDefinition<JobKind, unknown, unknown> {
  return jobKinds[kind];
}

/**
 * Runs long work in worker threads so the core's event loop never blocks. The jobs table is the
 * source of truth: every state change is written before it is announced.
 */
export class JobRunner {
  private readonly running = new Map<string, Running>();
  private closed = false;
  /**
   * Jobs whose own connection holds (or is about to hold, or has just let go of) the database's
   * write lock (JobContext.writing), by id with their titles: two imports' reports of one handing
   * the lock to the next may arrive in either order. Empty when none.
   */
  private readonly writers = new Map<string, string>();
  /** The core connection's busy timeout, set back when the last writer lets go. */
  private busyTimeout = 0;
  /** Ends of jobs that finished while another connection held the write lock, written after. */
  private readonly deferredEnds: { id: string; status: 'succeeded' | 'failed' | 'cancelled'; outcome: { result?: unknown; error?: ApiErrorData; message?: string } }[] = [];

  constructor(
    private readonly db: Db,
    private readonly workspaceRoot: string,
    private readonly hooks: JobRunnerHooks,
  ) {}

  /** Call once at open: settles jobs a previous process left unfinished. */
  recover(): Job[] {
    return markInterrupted(this.db, (job) => interruptionOf(job, this.workspaceRoot));
  }

  list(limit?: number): Job[] {
    return listJobs(this.db, limit).map((j) => this.withPending(j));
  }

  get(id: string): Job {
    return this.withPending(getJob(this.db, id));
  }

  /** A running job's progress not yet written (held while another connection writes) is its latest. */
  private withPending(job: Job): Job {
    const pending = this.running.get(job.id)?.pending;
    return pending && job.status === 'running' ? { ...job, progress: pending.progress, message: pending.message } : job;
  }

  start(kind: JobKind, rawParams: unknown): Job {
    if (this.closed) throw new StudioError(ErrorCode.Conflict, 'The workspace is closing; no new jobs start.');
    const def = definitionOf(kind);
    if (def.runsIn === 'core') throw new StudioError(ErrorCode.InvalidRequest, `${kind} jobs are started by Studio itself (they run on the core's thread), not by jobs.start.`);
    const parsed = jobParams[kind].params.safeParse(rawParams ?? {});
    if (!parsed.success) throw new StudioError(ErrorCode.InvalidRequest, formatZodIssues(parsed.error, 'params'));
    const job = insertJob(this.db, { id: newJobId(), kind, title: def.title(parsed.data), params: parsed.data });
    this.hooks.onJob(job);
    this.pump();
    return this.get(job.id);
  }

  /**
   * Runs `body` on the core's thread as a job of a 'core' kind: a row that goes running at once
   * (never queued: it takes no worker slot), progress and log as any job's, and its end recorded
   * before it is announced. For work that waits on what lives on the core's thread (the devnet,
   * the served model); heavy computing belongs in a worker kind. `done` resolves with the finished
   * job, never rejects.
   */
  runInCore<K extends JobKind>(kind: K, rawParams: JobParamsInput<K>, body: (ctx: CoreJobContext) => Promise<JobResult<K>>): { job: Job; done: Promise<Job> } {
    if (this.closed) throw new StudioError(ErrorCode.Conflict, 'The workspace is closing; no new jobs start.');
    const def = definitionOf(kind);
    if (def.runsIn !== 'core') throw new StudioError(ErrorCode.InvalidRequest, `${kind} runs in a worker thread: start it with jobs.start.`);
    const params = jobParams[kind].params.parse(rawParams) as JobParams<JobKind>;
    const { id } = insertJob(this.db, { id: newJobId(), kind, title: def.title(params), params });
    // Started before anything can pump: a queued row would be handed to a worker.
    markStarted(this.db, id);
    const abort = new AbortController();
    let settle!: () => void;
    const run: Running = { worker: null, abort, cancelFlag: new Int32Array(new SharedArrayBuffer(4)), params, cancelRequested: false, lastFlush: 0, pending: null, done: new Promise((r) => (settle = r)) };
    this.running.set(id, run);
    const job = this.announce(id);
    const ctx: CoreJobContext = {
      signal: abort.signal,
      progress: (fraction, message) => this.progress(id, run, fraction, message ?? null),
      log: (level, message) => this.hooks.onLog(level, message, id),
    };
    const done = (async () => {
      let outcome: { status: 'succeeded' | 'failed' | 'cancelled'; result?: unknown; error?: ApiErrorData; message?: string };
      try {
        const result = await body(ctx);
        outcome = run.cancelRequested ? { status: 'cancelled', message: 'Cancelled.' } : { status: 'succeeded', result: jobParams[kind].result.parse(result) };
      } catch (err) {
        const error = asError(err);
        outcome = run.cancelRequested || error.code === ErrorCode.Cancelled ? { status: 'cancelled', error } : { status: 'failed', error };
      }
      this.running.delete(id);
      this.flush(id, run);
      this.finish(id, outcome.status, outcome);
      settle();
      return this.get(id);
    })();
    return { job, done };
  }

  cancel(id: string): Job {
    const job = this.get(id);
    if (job.status === 'queued') {
      markFinished(this.db, id, 'cancelled', { message: 'Cancelled before it started.' });
      return this.announce(id);
    }
    const run = this.running.get(id);
    if (!run) return job;
    run.cancelRequested = true;
    const worker = run.worker;
    if (!worker) {
      run.abort?.abort();
      return job;
    }
    // Both: the message for JavaScript between awaits, the flag for a native call in progress.
    Atomics.store(run.cancelFlag, 0, 1);
    worker.postMessage({ type: 'cancel' });
    setTimeout(() => {
      if (this.running.get(id) === run) void worker.terminate();
    }, CANCEL_GRACE_MS).unref();
    return job;
  }

  /** Cancels what runs and waits for the threads to end; jobs end as cancelled. */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.running.entries()];
    for (const [id] of all) this.cancel(id);
    await Promise.all(all.map(([, r]) => r.done));
  }

  runningCount(): number {
    return this.running.size;
  }

  /** The job holding the database's write lock on its own connection, if any (for busy errors). */
  writingJob(): { id: string; title: string } | null {
    const first = this.writers.entries().next();
    return first.done ? null : { id: first.value[0], title: first.value[1] };
  }

  /**
   * A job's own connection took (or let go of) the write lock. While it holds it, a write on the
   * core's connection could only fail: the busy timeout drops to 0 so such a write fails at once
   * (a caller gets the busy error naming the job, StudioCore.request) instead of blocking the
   * core's thread 5 s per try; progress stays in memory, other jobs' ends wait and nothing new
   * launches. Once it lets go, all of that is written.
   */
  private setWriting(id: string, active: boolean): void {
    if (active) {
      if (this.writers.size === 0) {
        this.busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
        this.db.pragma('busy_timeout = 0');
      }
      this.writers.set(id, this.get(id).title);
      return;
    }
    if (!this.writers.delete(id) || this.writers.size > 0) return;
    this.db.pragma(`busy_timeout = ${this.busyTimeout}`);
    for (const [runId, run] of this.running) this.flush(runId, run);
    for (const end of this.deferredEnds.splice(0)) this.finish(end.id, end.status, end.outcome);
    this.pump();
  }

  private pump(): void {
    if (this.writers.size > 0) return;
    while (!this.closed && this.running.size < this.hooks.maxConcurrent()) {
      const next = oldestQueued(this.db);
      if (!next) return;
      this.launch(next);
    }
  }

  private launch(job: Job): void {
    const def = definitionOf(job.kind);
    // Stored by start() as parsed by the kind's schema, so they are that kind's params.
    const params = job.params as JobParams<JobKind>;
    let input: unknown;
    try {
      input = def.prepare(this.db, params, this.workspaceRoot, job);
    } catch (err) {
      this.finish(job.id, 'failed', { error: asError(err) });
      return;
    }
    markStarted(this.db, job.id);
    const cancelFlag = new SharedArrayBuffer(4);
    const data: JobWorkerData = { kind: job.kind, input, workspaceRoot: this.workspaceRoot, cancelFlag };
    const worker = spawnWorker('jobWorker', data);
    let settle!: () => void;
    const run: Running = { worker, abort: null, cancelFlag: new Int32Array(cancelFlag), params, cancelRequested: false, lastFlush: 0, pending: null, done: new Promise((r) => (settle = r)) };
    this.running.set(job.id, run);
    this.announce(job.id);

    let outcome: WorkerToRunner | null = null;
    worker.on('message', (m: WorkerToRunner) => {
      if (m.type === 'progress') this.progress(job.id, run, m.progress, m.message);
      else if (m.type === 'log') this.hooks.onLog(m.level, m.message, job.id);
      else if (m.type === 'writing') this.setWriting(job.id, m.active);
      else outcome = m;
    });
    worker.on('error', (err) => {
      outcome ??= { type: 'failed', error: { code: ErrorCode.Internal, message: `Job thread crashed: ${err.message}` } };
    });
    worker.on('exit', (code) => {
      this.running.delete(job.id);
      // A thread that ended (or was terminated) has closed its connection: the lock is free.
      this.setWriting(job.id, false);
      this.flush(job.id, run);
      const o = outcome as WorkerToRunner | null;
      if (run.cancelRequested && (o === null || o.type !== 'done')) {
        // A body that stopped on its own says where it stopped (e.g. the checkpoint to resume).
        this.finish(job.id, 'cancelled', o?.type === 'failed' && o.error.code === ErrorCode.Cancelled ? { error: o.error } : { message: 'Cancelled.' });
      } else if (o?.type === 'done') {
        try {
          this.finish(job.id, 'succeeded', { result: def.commit(this.db, o.result, run.params) });
        } catch (err) {
          this.finish(job.id, 'failed', { error: asError(err) });
        }
      } else if (o?.type === 'failed') {
        this.finish(job.id, o.error.code === ErrorCode.Cancelled ? 'cancelled' : 'failed', { error: o.error });
      } else {
        this.finish(job.id, 'failed', { error: { code: ErrorCode.Internal, message: `Job thread exited with code ${code} without a result.` } });
      }
      settle();
      this.pump();
    });
  }

  private progress(id: string, run: Running, progress: number | null, message: string | null): void {
    run.pending = { progress: progress === null ? null : Math.min(1, Math.max(0, progress)), message };
    const wait = PROGRESS_INTERVAL_MS - (Date.now() - run.lastFlush);
    if (wait <= 0) this.flush(id, run);
    else
      // The latest state shows at the interval's end even when no update follows it (a job's
      // last message before a long quiet step, say), not only at the job's end.
      run.flushTimer ??= setTimeout(() => {
        run.flushTimer = undefined;
        if (this.running.get(id) === run) this.flush(id, run);
      }, wait);
  }

  private flush(id: string, run: Running): void {
    if (!run.pending) return;
    run.lastFlush = Date.now();
    if (this.writers.size > 0) {
      // Shown now (get() reads the pending state), written once the lock is free (setWriting).
      this.announce(id);
      return;
    }
    updateProgress(this.db, id, run.pending.progress, run.pending.message);
    run.pending = null;
    this.announce(id);
  }

  private finish(id: string, status: 'succeeded' | 'failed' | 'cancelled', outcome: { result?: unknown; error?: ApiErrorData; message?: string }): void {
    if (this.writers.size > 0 && !this.writers.has(id)) {
      this.deferredEnds.push({ id, status, outcome });
      return;
    }
    markFinished(this.db, id, status, outcome);
    const job = this.announce(id);
    if (status === 'failed') this.hooks.onLog('error', `${job.title} failed: ${job.error?.message ?? 'unknown error'}`, id);
    else this.hooks.onLog('info', `${job.title} ${status}.`, id);
  }

  private announce(id: string): Job {
    const job = this.get(id);
    this.hooks.onJob(job);
    return job;
  }
}

/** Time-sortable and unique: milliseconds then random bits. */
function newJobId(): string {
  return `${Date.now().toString(36).padStart(9, '0')}-${crypto.randomBytes(5).toString('hex')}`;
}

function asError(err: unknown): ApiErrorData {
  if (err instanceof StudioError) return err.toData();
  return { code: ErrorCode.Internal, message: err instanceof Error ? err.message : String(err) };
}
