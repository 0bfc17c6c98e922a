import { describe, expect, it } from 'vitest';
import type { Job } from '../../../main/api/jobSchemas';
import { runningJobCount, sortJobs, upsertJob } from './jobs';

const job = (id: string, status: Job['status'], createdAt: string): Job => ({
  id,
  kind: 'artifacts.verify',
  title: `Job ${id}`,
  status,
  progress: null,
  message: null,
  error: null,
  params: {},
  result: null,
  createdAt,
  startedAt: null,
  finishedAt: null,
});

describe('jobs', () => {
  it('puts active jobs first, then newest first', () => {
    const sorted = sortJobs([
      job('old-done', 'succeeded', '2026-01-01T00:00:00Z'),
      job('new-done', 'failed', '2026-01-03T00:00:00Z'),
      job('running', 'running', '2026-01-02T00:00:00Z'),
    ]);
    expect(sorted.map((j) => j.id)).toEqual(['running', 'new-done', 'old-done']);
  });

  it('replaces a job by id when an update arrives', () => {
    const list = [job('a', 'running', '2026-01-01T00:00:00Z')];
    const updated = upsertJob(list, { ...job('a', 'succeeded', '2026-01-01T00:00:00Z'), progress: 1 });
    expect(updated).toHaveLength(1);
    expect(updated[0]!.status).toBe('succeeded');
    expect(upsertJob(updated, job('b', 'queued', '2026-01-02T00:00:00Z')).map((j) => j.id)).toEqual(['b', 'a']);
  });

  it('counts queued and running jobs as running', () => {
    expect(
      runningJobCount([job('a', 'queued', 'x'), job('b', 'running', 'x'), job('c', 'cancelled', 'x'), job('d', 'interrupted', 'x')]),
    ).toBe(2);
  });
});
