import type { Job } from '../../api/schemas';
import { listJobs } from '../../jobs/jobsRepository';
import { DEMO_WORKSPACE } from '../../workspace/studioHome';
import { WorkspaceManager } from '../../workspace/workspaceManager';
import type { Command } from '../command';
import { formatTable } from '../formatTable';

export const jobsList: Command = {
  path: ['jobs', 'list'],
  usage: 'studio jobs list [--workspace NAME] [--limit N] [--json]',
  summary: 'List recent jobs with their status and errors',
  options: { limit: { type: 'string' } },
  async run({ home, values }) {
    const m = new WorkspaceManager(home);
    m.ensureDemo();
    const ro = m.openReadonly((values.workspace as string | undefined) ?? DEMO_WORKSPACE);
    try {
      return listJobs(ro.db, values.limit ? Number(values.limit) : 50);
    } finally {
      ro.close();
    }
  },
  human: (jobs: Job[]) =>
    jobs.length === 0
      ? 'No jobs yet.'
      : formatTable(
          ['ID', 'STATUS', 'CREATED', 'TITLE', 'DETAIL'],
          jobs.map((j) => [j.id, j.status, j.createdAt, j.title, j.error?.message ?? j.message ?? '']),
        ),
};
