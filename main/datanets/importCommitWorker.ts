import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { ErrorCode, StudioError, toApiError } from '../api/apiError';
import { markFinished } from '../jobs/jobsRepository';
import { isSqliteBusy } from '../workspace/isSqliteBusy';
import { beginImportCommit, withImportCache, type ImportCommit } from './commitImport';
import type { FromCommitWorker, ImportCommitWorkerData, ToCommitWorker } from './importCommitOffThread';
import { forEachStagedRecordIn } from './stagedRecord';

/**
 * Entry point of an import's commit thread (importCommitOffThread.ts starts it from the job's
 * worker): its own connection to the workspace database, one BEGIN IMMEDIATE ... COMMIT around
 * the whole import, records appended batch by batch as staging hands them over. The job's row is
 * set to succeeded, with its result, inside the same transaction, so a kill at any moment leaves
 * either nothing of the import and a running row (settled as interrupted on the next open) or
 * all of it and a succeeded row. On cancel or any failure: ROLLBACK.
 */
const port = parentPort;
if (!port) throw new Error('importCommitWorker must run in a worker thread');
const data = workerData as ImportCommitWorkerData;
const post = (m: FromCommitWorker) => port.postMessage(m);
const cancelFlag = new Int32Array(data.cancelFlag);
const cancelled = () => Atomics.load(cancelFlag, 0) !== 0;
const cancelledError = () => new StudioError(ErrorCode.Cancelled, 'Import cancelled; nothing was stored.');

let db: Database.Database | null = null;
let commit: ImportCommit | null = null;

function end(m: FromCommitWorker): void {
  if (db?.inTransaction) db.exec('ROLLBACK');
  db?.close();
  db = null;
  commit = null;
  post(m);
  port!.close();
}

function fail(err: unknown): void {
  try {
    end({ type: 'failed', error: toApiError(err) });
  } catch (closing) {
    post({ type: 'failed', error: toApiError(err instanceof Error ? err : closing) });
    port!.close();
  }
}

try {
  db = new Database(data.dbFile, { fileMustExist: true });
  db.pragma('busy_timeout = 1000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  withImportCache(db);
  // The core may be inside a short write, or another import committing (started before this one
  // took the lock): wait for the lock as long as it takes, a cancel still heard every second.
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE');
      break;
    } catch (err) {
      if (!isSqliteBusy(err)) throw err;
      if (cancelled()) throw cancelledError();
    }
  }
  commit = beginImportCommit(db, data.input);
  post({ type: 'begun' });
} catch (err) {
  fail(err);
}

port.on('message', (m: ToCommitWorker) => {
  if (!db || !commit) return;
  try {
    if (m.type === 'abort' || cancelled()) {
      end({ type: 'failed', error: cancelledError().toData() });
      return;
    }
    if (m.type === 'records') {
      const c = commit;
      forEachStagedRecordIn(Buffer.from(m.frames.buffer, m.frames.byteOffset, m.frames.byteLength), (r) => c.append(r));
      post({ type: 'appended', records: c.appended });
      return;
    }
    const result = commit.finish(m.staging);
    // The last moment a cancel can still stop it; after COMMIT the import has happened.
    if (cancelled()) throw cancelledError();
    markFinished(db, data.jobId, 'succeeded', { result, message: `${result.imported.toLocaleString('en-US')} records imported, ${result.rejectedCount.toLocaleString('en-US')} rejected` });
    db.exec('COMMIT');
    end({ type: 'done', result });
  } catch (err) {
    fail(err);
  }
});
