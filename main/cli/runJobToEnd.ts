import type { Job, JobKind, JobParamsInput } from '../api/jobSchemas';
import { ApiCallError } from '../api/apiClient';
import type { StudioCore } from '../core/studioCore';

/**
 * Starts a job in an embedded core and resolves when it ends, echoing progress to `info`.
 * A failed or cancelled job rejects with its error, so the CLI exits non-zero.
 */
export async function runJobToEnd<K extends JobKind>(core: StudioCore, kind: K, params: JobParamsInput<K>, info: (m: string) => void): Promise<Job> {
  const started = await core.request('jobs.start', { kind, params });
  if (!started.ok) throw new ApiCallError('jobs.start', started.error);
  return waitForJob(core, (started.result as Job).id, info);
}

/** Resolves when a job of this core ends (rejecting unless it succeeded), echoing its progress. */
export async function waitForJob(core: StudioCore, id: string, info: (m: string) => void): Promise<Job> {
  const final = await new Promise<Job>((resolve) => {
    let last = '';
    const off = core.onEvent((event, data) => {
      if (event === 'log' && (data as { jobId: string | null }).jobId === id) info((data as { message: string }).message);
      if (event !== 'job.updated' || (data as Job).id !== id) return;
      const job = data as Job;
      const line = job.progress !== null ? `${Math.round(job.progress * 100)}% ${job.message ?? ''}` : (job.message ?? '');
      if (job.status === 'running' && line !== last) info((last = line));
      if (['succeeded', 'failed', 'cancelled', 'interrupted'].includes(job.status)) {
        off();
        resolve(job);
      }
    });
    // The job may have finished before we subscribed.
    void core.request('jobs.get', { id }).then((r) => {
      if (r.ok && ['succeeded', 'failed', 'cancelled', 'interrupted'].includes((r.result as Job).status)) {
        off();
        resolve(r.result as Job);
      }
    });
  });
  if (final.status !== 'succeeded') {
    throw new ApiCallError('jobs.start', final.error ?? { code: final.status.toUpperCase(), message: `${final.title} ${final.status}.` });
  }
  return final;
}
