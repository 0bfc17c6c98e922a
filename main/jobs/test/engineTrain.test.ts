import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/jobSchemas';
import { tempDir } from '../../../test/support/tempDir';
import { buildTestModel } from '../../engine/testModels/buildTestModel';
import { WorkspaceManager } from '../../workspace/workspaceManager';
import { JobRunner } from '../jobRunner';

// The 'engine.train' kind through the real runner and worker thread (sources loaded by tsx).
function setup() {
  const home = tempDir();
  const m = new WorkspaceManager(home);
  m.create('w');
  const ws = m.open('w', 'test');
  const updates: Job[] = [];
  const runner = new JobRunner(ws.db, ws.layout.root, { onJob: (j) => updates.push(j), onLog: () => {}, maxConcurrent: () => 1 });
  const model = buildTestModel(path.join(home, 'llama'), { family: 'llama' });
  const data = path.join(home, 'data.jsonl');
  fs.writeFileSync(data, '{"prompt":"Who keeps the data?","response":" The curators."}\n{"text":"Runs stay on this machine."}\n');
  return { ws, runner, updates, model: model.dir, data, home };
}

const until = (runner: JobRunner, id: string, done: (j: Job) => boolean) =>
  new Promise<Job>((resolve) => {
    const poll = () => {
      const j = runner.get(id);
      if (done(j)) resolve(j);
      else setTimeout(poll, 10);
    };
    poll();
  });
const ended = (j: Job) => !['queued', 'running'].includes(j.status);

describe('engine.train job', () => {
  it('refuses bad params naming the field, before any thread starts', async () => {
    const { ws, runner, model, data, home } = setup();
    expect(() => runner.start('engine.train', { model, data, out: path.join(home, 'a'), steps: 2, lr: Number.NaN })).toThrow(/params\.lr/);
    expect(() => runner.start('engine.train', { model, data, out: path.join(home, 'a'), steps: 0 })).toThrow(/params\.steps/);
    expect(() => runner.start('engine.train', { model, data, out: path.join(home, 'a'), steps: 2, rnak: 4 })).toThrow(/rnak/);
    await runner.close();
    ws.close();
  });

  it('reports steps as progress and, cancelled, stops at a checkpoint it keeps', async () => {
    const { ws, runner, updates, model, data, home } = setup();
    const out = path.join(home, 'adapter');
    const job = runner.start('engine.train', { model, data, out, steps: 100_000, batch: 2, seq: 16, lr: 1e-3, checkpointEvery: 5 });
    // Cancel once a checkpoint exists (a cancel before the first one leaves nothing to resume).
    const hasCheckpoint = () => fs.existsSync(ws.layout.runs) && fs.readdirSync(ws.layout.runs).some((r) => fs.existsSync(path.join(ws.layout.runs, r, 'checkpoint', 'trainer_state.json')));
    await until(runner, job.id, (j) => ended(j) || hasCheckpoint());
    runner.cancel(job.id);
    const done = await until(runner, job.id, ended);
    expect(done.status).toBe('cancelled');
    expect(done.error?.message).toMatch(/continue with --resume/);
    expect(updates.some((u) => /^step \d+\/100000 loss \d/.test(u.message ?? ''))).toBe(true);
    expect(fs.existsSync(out)).toBe(false);
    const runs = fs.readdirSync(ws.layout.runs);
    expect(runs).toHaveLength(1);
    const state = JSON.parse(fs.readFileSync(path.join(ws.layout.runs, runs[0]!, 'checkpoint', 'trainer_state.json'), 'utf8'));
    expect(state.step % 5).toBe(0);
    await runner.close();
    ws.close();
  });

  it('a cancel reaches a chunk of steps that never yields: the engine stops on the shared flag', async () => {
    const { ws, runner, model, data, home } = setup();
    // No checkpoint before step 100000: the worker's loop never returns to its event loop, so
    // only the engine watching JobContext.cancelFlag can stop it short of the thread's termination.
    const job = runner.start('engine.train', { model, data, out: path.join(home, 'adapter'), steps: 100_000, batch: 2, seq: 16, lr: 1e-3, checkpointEvery: 100_000 });
    await until(runner, job.id, (j) => ended(j) || (j.progress ?? 0) > 0);
    runner.cancel(job.id);
    const done = await until(runner, job.id, ended);
    expect(done.status).toBe('cancelled');
    expect(done.error?.message).toMatch(/Training stopped by a cancel request before its first checkpoint/);
    await runner.close();
    ws.close();
  });
});
