// A large datanet import commits off the core's thread, at the same time as it stages: a real
// `studio serve` process (the built CLI: `npm run build:node` first) answers API calls while the
// import's own connection holds the write lock, refuses a write meanwhile with an error naming the
// import, and a SIGKILL in the middle of the commit leaves the datanet exactly as before: nothing
// of the import, the job interrupted, no staging file, and the same import then lands whole.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ApiCallError } from '../../main/api/apiClient';
import type { Job } from '../../main/api/jobSchemas';
import { startServeProcess, within } from '../support/serveProcess';

const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-datanet-offcore-'));
const home = path.join(root, 'home');
const env = { ...process.env, STUDIO_HOME: home, STUDIO_DEMO_CONTENT: 'off' };
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const RECORDS = 20_000;

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args, '--json'], { env, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

/** Records committed so far, from the job's progress message ("jsonl: 12% read, 1,536 records in"). */
const committedOf = (job: Job) => Number(/([\d,]+) records in/.exec(job.message ?? '')?.[1]?.replace(/,/g, '') ?? 0);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a datanet import in serve mode', { timeout: 600_000 }, () => {
  const source = path.join(root, 'big.jsonl');

  it('is built', () => {
    expect(fs.existsSync('dist/node/importCommitWorker.mjs'), 'run `npm run build:node` before the tests').toBe(true);
    const fd = fs.openSync(source, 'w');
    for (let i = 0; i < RECORDS; i += 5000) {
      const lines: string[] = [];
      for (let j = i; j < i + 5000; j++) lines.push(JSON.stringify({ id: `r${j}`, text: `Record ${j}: the harbour council met on a Tuesday about the ${j % 7} bridges, the ${j % 11} boats and the stores of grain, and agreed on the repairs of year ${1900 + (j % 97)}.` }));
      fs.writeSync(fd, lines.join('\n') + '\n');
    }
    fs.closeSync(fd);
  });

  it('answers reads while the import commits, refuses a write naming the import, and a kill mid-commit stores nothing', async () => {
    const serve = await startServeProcess(home, env);
    const { client, socket } = await serve.connect();
    try {
      await client.call('datanets.create', { name: 'big' });
      const job = await client.call('jobs.start', { kind: 'datanet.import', params: { datanet: 'big', path: source, mapping: { contributor: ALICE } } });
      // Polling is itself a stream of API calls the server answers during the import.
      let seen: Job = job;
      while (committedOf(seen) === 0) {
        expect(seen.status, `the import ended before its commit was seen: ${JSON.stringify(seen)}`).not.toMatch(/succeeded|failed|cancelled/);
        await new Promise((r) => setTimeout(r, 50));
        seen = await within(client.call('jobs.get', { id: job.id }), 10_000, 'jobs.get during the import');
      }
      // Records are in the import's open transaction now: reads see the datanet as before it.
      const list = await within(client.call('datanets.list', {}), 10_000, 'datanets.list during the commit');
      expect(list.map((d) => d.name)).toContain('big');
      const page = await within(client.call('datanets.records', { datanet: 'big', limit: 10 }), 10_000, 'datanets.records during the commit');
      expect(page.total).toBe(0);
      // A write cannot go in before the import ends: refused at once, naming the import.
      const refused = (await within(client.call('datanets.create', { name: 'other' }).then(() => null, (e: unknown) => e), 10_000, 'datanets.create during the commit')) as ApiCallError | null;
      expect(refused, 'a write during the commit went through').not.toBeNull();
      expect(refused!.code).toBe('CONFLICT');
      expect(refused!.message).toContain(job.id);
      const during = await client.call('jobs.get', { id: job.id });
      expect(during.status).toBe('running');
      expect(committedOf(during)).toBeGreaterThan(0);
      expect(committedOf(during)).toBeLessThan(RECORDS);
      serve.child.kill('SIGKILL');
      await new Promise((r) => serve.child.once('exit', r));
    } finally {
      socket.close();
      await serve.stop();
    }
    // Read-only, before any open writes: nothing of the import, the job no longer running.
    expect(studio('datanet', 'stats', 'big')).toMatchObject({ records: 0, imports: 0 });
    const jobs = studio('jobs', 'list') as Job[];
    expect(jobs.find((j) => j.kind === 'datanet.import')?.status).toBe('interrupted');

    // Opened again for writing: the lock is free, no staging file is left, and the import lands whole.
    const again = await startServeProcess(home, env);
    const c2 = await again.connect();
    try {
      await c2.client.call('datanets.create', { name: 'other' });
      const tmp = path.join(home, 'workspaces', 'demo', 'artifacts', 'tmp');
      expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
      const job = await c2.client.call('jobs.start', { kind: 'datanet.import', params: { datanet: 'big', path: source, mapping: { contributor: ALICE } } });
      let j: Job = job;
      while (j.status === 'queued' || j.status === 'running') {
        await new Promise((r) => setTimeout(r, 200));
        j = await c2.client.call('jobs.get', { id: job.id });
      }
      expect(j.status, JSON.stringify(j.error)).toBe('succeeded');
      expect(j.result).toMatchObject({ imported: RECORDS, rejectedCount: 0 });
      expect(await c2.client.call('datanets.stats', { datanet: 'big' })).toMatchObject({ records: RECORDS, imports: 1 });
    } finally {
      c2.socket.close();
      await again.stop();
    }
  });
});
