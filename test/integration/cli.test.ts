import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { tempDir } from '../support/tempDir';

/**
 * The built CLI as a user runs it (`npm run build` first; `npm test` runs after install, whose
 * `prepare` step builds). Each test gets its own STUDIO_HOME.
 */
const bin = path.resolve('bin/studio.mjs');

function studio(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('studio CLI', () => {
  it('is built', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build` before the tests').toBe(true);
  });

  it('prints one JSON document on stdout with --json, logs on stderr', () => {
    const home = tempDir();
    const list = studio(home, 'workspace', 'list', '--json');
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'demo', isDemo: true, status: 'ok' }]);

    const file = path.join(home, 'notes.md');
    fs.writeFileSync(file, '# notes\n');
    const added = studio(home, 'artifacts', 'add', file, '--json');
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'notes.md', mediaType: 'text/markdown', size: 8 });
    expect(added.stderr).toMatch(/Importing/);

    const jobs = JSON.parse(studio(home, 'jobs', 'list', '--json').stdout);
    expect(jobs).toMatchObject([{ kind: 'artifacts.import', status: 'succeeded' }]);
    const info = JSON.parse(studio(home, 'workspace', 'info', '--json').stdout);
    expect(info).toMatchObject({ name: 'demo', counts: { artifacts: 1, jobs: 1 } });
  });

  it('exits non-zero with the error as JSON, naming what is wrong', () => {
    const home = tempDir();
    const missing = studio(home, 'artifacts', 'add', '/no/such/file.csv', '--json');
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.message).toMatch(/file\.csv/);
    const badName = studio(home, 'workspace', 'create', 'Bad Name', '--json');
    expect(badName.code).toBe(1);
    expect(JSON.parse(badName.stdout).error.code).toBe('INVALID_REQUEST');
    const unknown = studio(home, 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown command "frobnicate"/);
    const noWs = studio(home, 'workspace', 'info', '--workspace', 'ghost', '--json');
    expect(noWs.code).toBe(1);
    expect(JSON.parse(noWs.stdout).error.code).toBe('NOT_FOUND');
  });

  it('refuses a second process writing a workspace that serve mode holds', async () => {
    const home = tempDir();
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home } });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        serve.stdout.once('data', (d: Buffer) => resolve(d.toString()));
        serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      expect(JSON.parse(line).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
      const second = studio(home, 'artifacts', 'verify', '--json');
      expect(second.code).toBe(1);
      expect(JSON.parse(second.stdout).error).toMatchObject({ code: 'WORKSPACE_LOCKED' });
      // Reading beside the writer is fine.
      expect(studio(home, 'workspace', 'list', '--json').code).toBe(0);
    } finally {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    // A clean stop released the lock.
    expect(studio(home, 'artifacts', 'verify').code).toBe(0);
  });

  it('after the serving process is killed mid-job, the job is kept as interrupted and the workspace opens', async () => {
    const home = tempDir();
    const big = path.join(home, 'big.bin');
    // Sparse: big enough that the import is still running when the process is killed.
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 1024 * 1024 * 1024);
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home } });
    const { url } = JSON.parse(await new Promise<string>((resolve) => serve.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    const { port, token } = { port: new URL(url).port, token: new URL(url).searchParams.get('token') };
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } });
    await new Promise((resolve) => socket.once('open', resolve));
    const running = new Promise<void>((resolve) =>
      socket.on('message', (d: Buffer) => {
        const m = JSON.parse(d.toString());
        if (m.type === 'event' && m.event === 'job.updated' && m.data.status === 'running') resolve();
      }),
    );
    socket.send(JSON.stringify({ type: 'request', id: 1, method: 'jobs.start', params: { kind: 'artifacts.import', params: { path: big } } }));
    await running;
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGKILL');
    await exited;

    // The next writer recovers: the lock is stale, the job is settled with its reason, nothing half-stored.
    const after = studio(home, 'artifacts', 'verify', '--json');
    expect(after.code).toBe(0);
    const jobs = JSON.parse(studio(home, 'jobs', 'list', '--json').stdout) as { kind: string; status: string; error: { message: string } | null }[];
    const killed = jobs.find((j) => j.kind === 'artifacts.import');
    expect(killed?.status).toBe('interrupted');
    expect(killed?.error?.message).toMatch(/stopped before this job finished/);
    const info = JSON.parse(studio(home, 'workspace', 'info', '--json').stdout);
    expect(info.counts.artifacts).toBe(0);
    expect(fs.readdirSync(path.join(home, 'workspaces', 'demo', 'artifacts', 'tmp'))).toEqual([]);
    // serve started the workspace devnet. On Linux the kernel stops it with serve (parent-death
    // signal); elsewhere it outlives a SIGKILL (a later serve takes it over): stop it either way.
    expect(studio(home, 'devnet', 'stop', '--json').code).toBe(0);
  });
});
