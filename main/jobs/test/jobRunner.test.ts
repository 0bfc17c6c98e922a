import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/jobSchemas';
import { tempDir } from '../../../test/support/tempDir';
import { listArtifacts } from '../../artifacts/artifactsRepository';
import type { Workspace } from '../../workspace/workspace';
import { WorkspaceManager } from '../../workspace/workspaceManager';
import { JobRunner } from '../jobRunner';
import { insertJob, markStarted } from '../jobsRepository';

function setup(maxConcurrent = 2) {
  const m = new WorkspaceManager(tempDir());
  m.create('w');
  const ws = m.open('w', 'test');
  const updates: Job[] = [];
  const logs: string[] = [];
  const runner = new JobRunner(ws.db, ws.layout.root, {
    onJob: (j) => updates.push(j),
    onLog: (_l, msg) => logs.push(msg),
    maxConcurrent: () => maxConcurrent,
  });
  return { m, ws, runner, updates, logs };
}

const finished = (runner: JobRunner, id: string) =>
  new Promise<Job>((resolve) => {
    const poll = () => {
      const j = runner.get(id);
      if (!['queued', 'running'].includes(j.status)) resolve(j);
      else setTimeout(poll, 20);
    };
    poll();
  });

function bigFile(dir: string, mb: number): string {
  const file = path.join(dir, `big-${mb}.bin`);
  const chunk = Buffer.alloc(1024 * 1024, 7);
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < mb; i++) fs.writeSync(fd, chunk);
  fs.closeSync(fd);
  return file;
}

describe('JobRunner', () => {
  it('runs an import in a worker thread and commits its artifact row', async () => {
    const { ws, runner, updates } = setup();
    const src = path.join(tempDir(), 'data.jsonl');
    fs.writeFileSync(src, '{"text":"hello"}\n');
    const job = runner.start('artifacts.import', { path: src });
    const done = await finished(runner, job.id);
    expect(done.status).toBe('succeeded');
    expect(done.progress).toBe(1);
    expect(done.result).toMatchObject({ name: 'data.jsonl', mediaType: 'application/jsonl', size: 17 });
    expect(listArtifacts(ws.db)).toHaveLength(1);
    expect(updates.map((u) => u.status)).toEqual(expect.arrayContaining(['queued', 'running', 'succeeded']));
    await runner.close();
    ws.close();
  });

  it('stores a failure with the reason naming the file', async () => {
    const { ws, runner } = setup();
    const job = runner.start('artifacts.import', { path: '/definitely/not/here.csv' });
    const done = await finished(runner, job.id);
    expect(done.status).toBe('failed');
    expect(done.error?.message).toMatch(/not\/here\.csv/);
    expect(listArtifacts(ws.db)).toHaveLength(0);
    ws.close();
  });

  it('rejects invalid params naming the field, and stores nothing', () => {
    const { ws, runner } = setup();
    expect(() => runner.start('artifacts.import', { path: 42 })).toThrow(/params\.path/);
    expect(runner.list()).toHaveLength(0);
    ws.close();
  });

  it('cancels a running job and leaves no partial artifact', async () => {
    const { ws, runner } = setup();
    const src = bigFile(tempDir(), 256);
    const job = runner.start('artifacts.import', { path: src });
    // Cancel mid-copy: once bytes have been reported, the partial file exists under artifacts/tmp.
    // (Cancelling on 'running' alone raced the worker under load: tmp was not created yet.)
    while (!((runner.get(job.id).progress ?? 0) > 0)) await new Promise((r) => setTimeout(r, 5));
    runner.cancel(job.id);
    const done = await finished(runner, job.id);
    expect(done.status).toBe('cancelled');
    expect(listArtifacts(ws.db)).toHaveLength(0);
    expect(fs.readdirSync(path.join(ws.layout.artifacts, 'tmp'))).toEqual([]);
    ws.close();
  });

  it('queues beyond maxConcurrent and runs the queue in order', async () => {
    const { ws, runner } = setup(1);
    const dir = tempDir();
    const files = [1, 2, 3].map((i) => {
      const f = path.join(dir, `f${i}.txt`);
      fs.writeFileSync(f, `file ${i}`);
      return f;
    });
    const jobs = files.map((f) => runner.start('artifacts.import', { path: f }));
    expect(jobs.slice(1).every((j) => j.status === 'queued')).toBe(true);
    const done = await Promise.all(jobs.map((j) => finished(runner, j.id)));
    expect(done.map((d) => d.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    const started = done.map((d) => d.startedAt ?? '');
    expect([...started].sort()).toEqual(started);
    ws.close();
  });

  it('marks jobs left running by a dead process as interrupted, with the reason', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('w');
    let ws: Workspace = m.open('w', 'first');
    insertJob(ws.db, { id: 'a', kind: 'artifacts.verify', title: 'Verify artifact store', params: {} });
    markStarted(ws.db, 'a');
    insertJob(ws.db, { id: 'b', kind: 'artifacts.verify', title: 'Verify artifact store', params: {} });
    ws.close();
    ws = m.open('w', 'second');
    const runner = new JobRunner(ws.db, ws.layout.root, { onJob: () => {}, onLog: () => {}, maxConcurrent: () => 1 });
    const recovered = runner.recover();
    expect(recovered.map((j) => j.status)).toEqual(['interrupted', 'interrupted']);
    expect(runner.get('a').error?.message).toMatch(/stopped before this job finished/);
    ws.close();
  });

  it('verification fails listing an altered artifact', async () => {
    const { ws, runner } = setup();
    const src = path.join(tempDir(), 'x.txt');
    fs.writeFileSync(src, 'original');
    const imported = await finished(runner, runner.start('artifacts.import', { path: src }).id);
    const sha = (imported.result as { sha256: string }).sha256;
    const file = path.join(ws.layout.artifacts, 'sha256', sha.slice(0, 2), sha);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, 'altered!');
    const verify = await finished(runner, runner.start('artifacts.verify', {}).id);
    expect(verify.status).toBe('failed');
    expect(verify.error).toMatchObject({ code: 'ARTIFACTS_DAMAGED' });
    expect(verify.error?.message).toMatch(/x\.txt \(corrupt\)/);
    ws.close();
  });
});
