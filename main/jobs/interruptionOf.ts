import type { ApiErrorData } from '../api/apiError';
import { jobParams, type Job, type JobKind, type JobParams } from '../api/jobSchemas';
import type { JobKindDefinition } from './jobKind';
import { jobKinds } from './jobKinds';

const GENERIC = 'Studio stopped before this job finished (the app was closed, crashed or was killed).';

/** The INTERRUPTED error of a job whose process is gone: the kind's own account, or "start it again". */
export function interruptionOf(job: Job, workspaceRoot: string): ApiErrorData {
  // Every kind alike, as the runner treats them: the params are parsed by the kind's own schema.
  const def: JobKindDefinition<JobKind, unknown, unknown> = jobKinds[job.kind];
  if (def.interrupted) {
    try {
      const parsed = jobParams[job.kind].params.safeParse(job.params);
      if (parsed.success) return def.interrupted(parsed.data as JobParams<JobKind>, workspaceRoot, job);
    } catch {
      // A kind that cannot tell (its files are gone or unreadable) gets the generic reason.
    }
  }
  return { code: 'INTERRUPTED', message: `${GENERIC} Start it again to redo the work.` };
}

/**
 * Jobs as a reader without the workspace lock should see them: when no live process holds the
 * lock, nothing can be running, so queued and running jobs are shown as interrupted, with the
 * reason the next writer will record. Nothing is written.
 */
export function jobsAsSeenByReader(jobs: Job[], workspaceRoot: string, ownerAlive: boolean): Job[] {
  if (ownerAlive) return jobs;
  return jobs.map((j) => (j.status === 'queued' || j.status === 'running' ? { ...j, status: 'interrupted', error: interruptionOf(j, workspaceRoot) } : j));
}
