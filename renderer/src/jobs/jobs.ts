import type { Job, JobStatus } from '../../../main/api/jobSchemas';

const ACTIVE: ReadonlySet<JobStatus> = new Set(['queued', 'running']);

export function isJobActive(job: Pick<Job, 'status'>): boolean {
  return ACTIVE.has(job.status);
}

/** Replaces the job with the same id (a `job.updated` event) or adds it; newest first. */
export function upsertJob(jobs: readonly Job[], job: Job): Job[] {
  const rest = jobs.filter((j) => j.id !== job.id);
  return sortJobs([job, ...rest]);
}

/** Active jobs first, then by creation time, newest first. */
export function sortJobs(jobs: readonly Job[]): Job[] {
  return [...jobs].sort(
    (a, b) => Number(isJobActive(b)) - Number(isJobActive(a)) || b.createdAt.localeCompare(a.createdAt),
  );
}

export function runningJobCount(jobs: readonly Job[]): number {
  return jobs.filter(isJobActive).length;
}

/** Codicon and tone for a job status. */
export function jobStatusIcon(status: JobStatus): { icon: string; tone: 'info' | 'ok' | 'error' | 'muted' } {
  switch (status) {
    case 'queued':
      return { icon: 'clock', tone: 'muted' };
    case 'running':
      return { icon: 'loading', tone: 'info' };
    case 'succeeded':
      return { icon: 'pass', tone: 'ok' };
    case 'failed':
      return { icon: 'error', tone: 'error' };
    case 'cancelled':
      return { icon: 'circle-slash', tone: 'muted' };
    case 'interrupted':
      return { icon: 'debug-disconnect', tone: 'error' };
  }
}
