// Jobs run on the core's thread (JobRunner.runInCore): a real workspace database, the row and its
// announcements as a worker job's, cancel through the signal, and jobs.start refusing such kinds.
import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/jobSchemas';
import { tempDir } from '../../../test/support/tempDir';
import { WorkspaceManager } from '../../workspace/workspaceManager';
import { JobRunner } from '../jobRunner';

function setup() {
  const m = new WorkspaceManager(tempDir());
  m.create('w');
  const ws = m.open('w', 'test');
  const updates: Job[] = [];
  const runner = new JobRunner(ws.db, ws.layout.root, { onJob: (j) => updates.push(j), onLog: () => {}, maxConcurrent: () => 1 });
  return { ws, runner, updates };
}

describe('JobRunner.runInCore', () => {
  it('records a core job running at once, its progress and its result, checked by the kind’s schema', async () => {
    const { ws, runner, updates } = setup();
    const { job, done } = runner.runInCore('demo.settle', { epoch: 3 }, async (ctx) => {
      ctx.progress(0.5, 'half way');
      await new Promise((r) => setTimeout(r, 250));
      return { epoch: 3, models: [] };
    });
    expect(job).toMatchObject({ kind: 'demo.settle', status: 'running', title: 'Settle epoch 3 on the devnet' });
    expect(runner.runningCount()).toBe(1);
    const end = await done;
    expect(end).toMatchObject({ status: 'succeeded', result: { epoch: 3, models: [] } });
    expect(updates.map((u) => u.status)).not.toContain('queued');
    expect(updates.some((u) => u.message === 'half way')).toBe(true);
    expect(runner.runningCount()).toBe(0);

    // A result outside the kind's schema fails the job instead of storing it.
    const bad = await runner.runInCore('demo.settle', { epoch: 1 }, async () => ({ epoch: 0, models: [] })).done;
    expect(bad.status).toBe('failed');
    await runner.close();
    ws.close();
  });

  it('cancels through the signal, ends as cancelled, and jobs.start refuses a core kind', async () => {
    const { ws, runner } = setup();
    const { job, done } = runner.runInCore('demo.attribute', { adapter: 'a', prompts: ['p'] }, (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('stopped')))));
    runner.cancel(job.id);
    expect((await done).status).toBe('cancelled');
    expect(() => runner.start('demo.attribute', { adapter: 'a', prompts: ['p'] })).toThrow(/started by Studio itself/);
    expect(runner.list().map((j) => j.kind)).toEqual(['demo.attribute']);
    await runner.close();
    ws.close();
  });
});
