import { ErrorCode, StudioError, type ApiErrorData } from '../api/apiError';
import type { Job, JobKind, JobStatus } from '../api/jobSchemas';
import type { Db } from '../workspace/openDatabase';

interface JobRow {
  id: string;
  kind: JobKind;
  title: string;
  status: JobStatus;
  progress: number | null;
  message: string | null;
  error_json: string | null;
  params_json: string;
  result_json: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind,
  title: r.title,
  status: r.status,
  progress: r.progress,
  message: r.message,
  error: r.error_json ? (JSON.parse(r.error_json) as ApiErrorData) : null,
  params: JSON.parse(r.params_json),
  result: r.result_json ? JSON.parse(r.result_json) : null,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export function insertJob(db: Db, job: Pick<Job, 'id' | 'kind' | 'title' | 'params'>): Job {
  db.prepare(
    `INSERT INTO jobs (id, kind, title, status, params_json, created_at) VALUES (?, ?, ?, 'queued', ?, ?)`,
  ).run(job.id, job.kind, job.title, JSON.stringify(job.params ?? null), new Date().toISOString());
  return getJob(db, job.id);
}

export function getJob(db: Db, id: string): Job {
  const row = db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
  if (!row) throw new StudioError(ErrorCode.NotFound, `No job with id ${id}.`);
  return toJob(row);
}

export function listJobs(db: Db, limit = 200): Job[] {
  return (db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC LIMIT ?').all(limit) as JobRow[]).map(toJob);
}

/** FIFO: rowid breaks ties between jobs created in the same millisecond. */
export function oldestQueued(db: Db): Job | null {
  const row = db.prepare(`SELECT * FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid LIMIT 1`).get() as JobRow | undefined;
  return row ? toJob(row) : null;
}

export function markStarted(db: Db, id: string): void {
  db.prepare(`UPDATE jobs SET status = 'running', started_at = ? WHERE id = ?`).run(new Date().toISOString(), id);
}

export function updateProgress(db: Db, id: string, progress: number | null, message: string | null): void {
  // A row already ended keeps its final progress (an import's commit thread ends its own row).
  db.prepare(`UPDATE jobs SET progress = ?, message = ? WHERE id = ? AND status = 'running'`).run(progress, message, id);
}

/**
 * Ends a queued or running job; a row already ended is left as it is (the datanet.import commit
 * thread sets its job succeeded inside the import's transaction, and a cancel that came too late
 * must not overwrite that).
 */
export function markFinished(
  db: Db,
  id: string,
  status: Extract<JobStatus, 'succeeded' | 'failed' | 'cancelled' | 'interrupted'>,
  outcome: { result?: unknown; error?: ApiErrorData; message?: string | null },
): void {
  db.prepare(
    `UPDATE jobs SET status = ?, finished_at = ?, result_json = ?, error_json = ?, message = coalesce(?, message),
       progress = CASE WHEN ? = 'succeeded' THEN 1 ELSE progress END
     WHERE id = ? AND status IN ('queued', 'running')`,
  ).run(
    status,
    new Date().toISOString(),
    outcome.result === undefined ? null : JSON.stringify(outcome.result),
    outcome.error ? JSON.stringify(outcome.error) : null,
    outcome.message ?? null,
    status,
    id,
  );
}

/**
 * Jobs that were queued or running when the previous process ended did not finish: they are
 * kept, marked interrupted with the reason, never dropped.
 */
export function markInterrupted(db: Db, reason: (job: Job) => ApiErrorData): Job[] {
  const rows = db.prepare(`SELECT id FROM jobs WHERE status IN ('queued', 'running')`).all() as { id: string }[];
  for (const { id } of rows) markFinished(db, id, 'interrupted', { error: reason(getJob(db, id)) });
  return rows.map((r) => getJob(db, r.id));
}
