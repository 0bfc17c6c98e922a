import type { Job } from '../../api/jobSchemas';
import { jobsAsSeenByReader } from '../../jobs/interruptionOf';
import { listJobs } from '../../jobs/jobsRepository';
import { workspaceLayout } from '../../workspace/workspaceLayout';
import { WorkspaceLock } from '../../workspace/workspaceLock';
import { withReadonlyWorkspace } from '../withReadonlyWorkspace';
import type { Command } from '../command';
import { formatTable } from '../formatTable';

export const jobsList: Command = {
  path: ['jobs', 'list'],
  usage: 'studio jobs list [--workspace NAME] [--limit N] [--json]',
  summary: 'List recent jobs with their status and errors',
  options: { limit: { type: 'string' } },
  // Without a live lock holder nothing runs: a job still 'running' in the table was killed with
  // its process, and is shown interrupted (with how to resume) though only a writer records it.
  run: async (ctx) =>
    withReadonlyWorkspace(ctx, (db, _name, root) =>
      jobsAsSeenByReader(listJobs(db, ctx.values.limit ? Number(ctx.values.limit) : 50), root, WorkspaceLock.holder(workspaceLayout(root).lock) !== null),
    ),
  human: (jobs: Job[]) =>
    jobs.length === 0
      ? 'No jobs yet.'
      : formatTable(
          ['ID', 'STATUS', 'CREATED', 'TITLE', 'DETAIL'],
          jobs.map((j) => [j.id, j.status, j.createdAt, j.title, j.error?.message ?? j.message ?? '']),
        ),
};
