import { ErrorCode, StudioError, type ApiErrorData } from '../api/apiError';
import type { JobKind, JobParams, JobResult } from '../api/jobSchemas';
import type { Db } from '../workspace/openDatabase';

/** What a job's body can do from inside its worker thread. */
export interface JobContext {
  readonly workspaceRoot: string;
  /** Aborted when the user cancels; bodies pass it to streams and check it in loops. */
  readonly signal: AbortSignal;
  /**
   * The same cancel request in shared memory (element 0 becomes 1), for native code: a body
   * blocked in a long engine call cannot see `signal` change, the engine can watch this
   * (engine.setCancelSignal).
   */
  readonly cancelFlag: Int32Array;
  /** fraction is 0..1, or null when unknown. Throttled by the runner; call freely. */
  progress(fraction: number | null, message?: string): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
  /**
   * For a body that writes the workspace database on a connection of its own (datanet.import's
   * commit thread): true once that connection holds the write lock, false once it let it go.
   * Meanwhile any write on the core's connection fails busy, so the runner keeps progress in
   * memory, holds other jobs' ends and new launches until false, and the core names this job in
   * the busy error its callers get.
   */
  writing(active: boolean): void;
}

/** The row a job kind may key its files on (the run folder of a training, say). */
export interface JobRef {
  id: string;
  createdAt: string;
}

/**
 * A kind of long work. `prepare` and `commit` run on the core's main thread, which writes the
 * database; `run` runs in a worker thread and must not touch the database, except through a
 * connection of its own that it announces with `ctx.writing` (datanet.import only). Params and the
 * committed result have the types of the kind's schemas in the contract (`jobParams`); the runner
 * has parsed the params before `title` or `prepare` see them.
 */
export interface JobKindDefinition<K extends JobKind, I, R> {
  kind: K;
  /**
   * 'core': the work runs on the core's thread (JobRunner.runInCore), because what it waits on
   * lives there (the devnet, the served model); `jobs.start` refuses such a kind. The row, its
   * progress and its end are a job's like any other, so the jobs panel shows them.
   */
  runsIn?: 'core';
  title(params: JobParams<K>): string;
  /** Reads what the worker needs from the database. */
  prepare(db: Db, params: JobParams<K>, workspaceRoot: string, job: JobRef): I;
  run(input: I, ctx: JobContext): Promise<R>;
  /** Records the worker's result; what it returns is stored as the job's result. */
  commit(db: Db, result: R, params: JobParams<K>): JobResult<K>;
  /**
   * Why a job whose process died is 'interrupted', and what is left of its work: the error shown
   * then (jobs list, the jobs panel). Reads files only, never the database. Default: a generic
   * "start it again". Called by the writer that settles the job and by read-only listings.
   */
  interrupted?(params: JobParams<K>, workspaceRoot: string, job: JobRef): ApiErrorData;
}

/** Helper that keeps I (the worker's input) and R (its output) inferred at the definition site. */
export function defineJobKind<K extends JobKind, I, R>(def: JobKindDefinition<K, I, R>): JobKindDefinition<K, I, R> {
  return def;
}

/** What a job run on the core's thread gets (JobRunner.runInCore). */
export interface CoreJobContext {
  /** Aborted when the user cancels or the workspace closes. */
  readonly signal: AbortSignal;
  /** fraction is 0..1, or null when unknown. Throttled by the runner; call freely. */
  progress(fraction: number | null, message?: string): void;
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string): void;
}

/**
 * A kind whose body the core passes to JobRunner.runInCore each time: nothing to prepare or run in
 * a worker, and what the body returns is stored as its result.
 */
export function defineCoreJobKind<K extends JobKind>(kind: K, title: (params: JobParams<K>) => string): JobKindDefinition<K, never, JobResult<K>> {
  const refuse = (): never => {
    throw new StudioError(ErrorCode.InvalidRequest, `${kind} jobs are started by Studio itself (they run on the core's thread), not by jobs.start.`);
  };
  return { kind, runsIn: 'core', title, prepare: refuse, run: refuse, commit: (_db, result) => result };
}
