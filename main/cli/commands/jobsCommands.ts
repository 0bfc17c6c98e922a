import type { Job } from '../../api/jobSchemas';
import { listJobs } from '../../jobs/jobsRepository';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import type { Command } from '../command';
import { formatTable } from '../formatTable';

export const jobsList: Command = {
  path: ['jobs', 'list'],
  usage: 'studio jobs list [--workspace NAME] [--limit N] [--json]',
  summary: 'List recent jobs with their status and errors',
  options: { limit: { type: 'string' } },
  run: async (ctx) => withReadonlyWorkspace(ctx, (db) => listJobs(db, ctx.values.limit ? Number(ctx.values.limit) : 50)),
  human: (jobs: Job[]) =>
    jobs.length === 0
      ? 'No jobs yet.'
      : formatTable(
          ['ID', 'STATUS', 'CREATED', 'TITLE', 'DETAIL'],
          jobs.map((j) => [j.id, j.status, j.createdAt, j.title, j.error?.message ?? j.message ?? '']),
        ),
};
