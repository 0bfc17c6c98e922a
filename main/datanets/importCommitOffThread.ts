import type { Worker } from 'node:worker_threads';
import { StudioError, type ApiErrorData } from '../api/apiError';
import type { DatanetImportResult } from '../api/datanetSchemas';
import { spawnWorker } from '../jobs/spawnWorker';
import type { ImportCommitInput, StagingSummary } from './commitImport';

export interface ImportCommitWorkerData {
  /** The workspace database (WAL): the commit thread opens its own connection to it. */
  dbFile: string;
  input: ImportCommitInput;
  /** The datanet.import job's row, set to succeeded inside the import's transaction. */
  jobId: string;
  /** The job's cancel flag (JobContext.cancelFlag): checked between batches and before COMMIT. */
  cancelFlag: SharedArrayBuffer;
}

export type ToCommitWorker = { type: 'records'; frames: Uint8Array } | { type: 'finish'; staging: StagingSummary } | { type: 'abort' };

export type FromCommitWorker =
  | { type: 'begun' }
  | { type: 'appended'; records: number }
  | { type: 'done'; result: DatanetImportResult }
  | { type: 'failed'; error: ApiErrorData };

/**
 * Staging batches handed over and not yet appended, at most: enough that neither side waits on
 * the other's jitter, few enough that memory stays a few MiB (a batch is 512 records).
 */
const MAX_IN_FLIGHT = 4;

/**
 * An import's commit in its own thread (importCommitWorker.ts), fed while staging goes on: the
 * two run at the same time, and the core's thread never runs the commit. `start` resolves once
 * the thread holds the database's write lock (its transaction has begun); from then until
 * `finish` or `abort` settle, every other write to the workspace database fails busy.
 */
export class ImportCommitOffThread {
  private inFlight = 0;
  private failure: ApiErrorData | null = null;
  private result: DatanetImportResult | null = null;
  private wake: (() => void) | null = null;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    private readonly onAppended: (records: number) => void,
  ) {
    worker.on('message', (m: FromCommitWorker) => {
      if (m.type === 'appended') {
        this.inFlight--;
        this.onAppended(m.records);
      } else if (m.type === 'done') this.result = m.result;
      else if (m.type === 'failed') this.failure ??= m.error;
      this.poke();
    });
    worker.on('error', (err) => {
      this.failure ??= { code: 'INTERNAL', message: `Import commit thread crashed: ${err.message}` };
      this.poke();
    });
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        if (!this.result) this.failure ??= { code: 'INTERNAL', message: 'Import commit thread ended without a result.' };
        this.poke();
        resolve();
      }),
    );
  }

  static async start(data: ImportCommitWorkerData, onAppended: (records: number) => void): Promise<ImportCommitOffThread> {
    const worker = spawnWorker('importCommitWorker', data, import.meta.url);
    const c = new ImportCommitOffThread(worker, onAppended);
    const begun = new Promise<void>((resolve) => worker.once('message', (m: FromCommitWorker) => m.type === 'begun' && resolve()));
    await Promise.race([begun, c.exited]);
    c.throwIfFailed();
    return c;
  }

  /** Hands one staging batch over; waits while MAX_IN_FLIGHT are not yet appended. */
  async append(frames: Buffer, _records: number): Promise<void> {
    this.throwIfFailed();
    this.inFlight++;
    this.worker.postMessage({ type: 'records', frames } satisfies ToCommitWorker);
    while (this.inFlight >= MAX_IN_FLIGHT && !this.failure) await this.next();
    this.throwIfFailed();
  }

  /** After the last batch: the commit's end (buckets, full text, duplicates, report) and COMMIT. */
  async finish(staging: StagingSummary): Promise<DatanetImportResult> {
    this.throwIfFailed();
    this.worker.postMessage({ type: 'finish', staging } satisfies ToCommitWorker);
    await this.exited;
    this.throwIfFailed();
    return this.result!;
  }

  /** Rolls the import back (if it has not committed) and waits for the thread to end. */
  async abort(): Promise<void> {
    this.worker.postMessage({ type: 'abort' } satisfies ToCommitWorker);
    await this.exited;
  }

  private throwIfFailed(): void {
    if (this.failure) throw new StudioError(this.failure.code, this.failure.message, this.failure.details);
  }

  private next(): Promise<void> {
    return new Promise((resolve) => (this.wake = resolve));
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }
}
