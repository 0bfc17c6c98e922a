import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../main/api/apiClient';
import type { Job } from '../../main/api/jobSchemas';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { startServeProcess, within, type ServeProcess } from '../support/serveProcess';
import { tempDir } from '../support/tempDir';
import { releaseFifo } from './hostilePaths';

/**
 * Issue 10, finding 8: errors quoted the first bytes of whatever file a path pointed at (training
 * data, --contracts), and artifacts.import copied anything readable. Errors now name the file,
 * line and column, never the text; imports take regular files only, at the size they had when
 * opened (the API's caller is the local user: any regular file they can read is theirs to import).
 */
const SECRET = 'sk-live-4f9d2c71b0e8';
const fixtures = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'studio-file-contents-'));
let serve: ServeProcess;
let client: ApiClient;
let close: () => void;
const fifo = path.join(fixtures, 'pipe');

beforeAll(async () => {
  serve = await startServeProcess(fs.mkdtempSync(path.join(fixtures, 'home-')));
  const c = await serve.connect();
  client = c.client;
  close = () => c.socket.close();
});
afterAll(async () => {
  releaseFifo(fifo);
  close?.();
  await serve?.stop();
  fs.rmSync(fixtures, { recursive: true, force: true });
});

async function finished(job: Job): Promise<Job> {
  for (;;) {
    const j = await client.call('jobs.get', { id: job.id });
    if (j.status !== 'queued' && j.status !== 'running') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('file contents never reach an error', () => {
  it('training data that is not JSONL is refused by file and line, without its text', async () => {
    const model = buildTestModel(path.join(fixtures, 'gpt2'), { family: 'gpt2', dtype: 'F32' }).dir;
    const data = path.join(fixtures, 'secrets.jsonl');
    fs.writeFileSync(data, `{"text": "fine"}\nAPI_KEY=${SECRET}\n`);
    const job = await within(
      finished(await client.call('jobs.start', { kind: 'engine.train', params: { model, data, out: path.join(fixtures, 'adapter'), steps: 1, seq: 16 } })),
      120_000,
      'engine.train',
    );
    expect(job.status).toBe('failed');
    expect(job.error!.message).toContain(`${data}:2: not valid JSON (column 1)`);
    expect(JSON.stringify(job)).not.toContain(SECRET);
  });

  it('studio network add --contracts names the file and the JSON error, not the text', () => {
    const file = path.join(fixtures, 'contracts.txt');
    fs.writeFileSync(file, `WrappedOpen=${SECRET}\n`);
    const r = spawnSync(process.execPath, [path.resolve('bin/studio.mjs'), 'network', 'add', 'x', '--rpc', 'http://127.0.0.1:1', '--chain-id', '5', '--contracts', file, '--json'], {
      env: { ...process.env, STUDIO_HOME: tempDir() },
      encoding: 'utf8',
      timeout: 60_000,
    });
    // A usage error (exit 2): the flag's file is wrong.
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain(`--contracts: ${file}: not valid JSON (line 1, column 1)`);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });

  it('artifacts.import takes a regular file at its size and refuses a FIFO without waiting on it', async () => {
    const file = path.join(fixtures, 'notes.txt');
    fs.writeFileSync(file, 'x'.repeat(12_345));
    const ok = await within(finished(await client.call('jobs.start', { kind: 'artifacts.import', params: { path: file } })), 60_000, 'import');
    expect(ok.status).toBe('succeeded');
    expect(ok.result).toMatchObject({ size: 12_345 });
    execFileSync('mkfifo', [fifo]);
    const refused = await within(finished(await client.call('jobs.start', { kind: 'artifacts.import', params: { path: fifo } })), 60_000, 'import of a FIFO');
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(refused.error!.message).toBe(`Cannot import ${fifo}: is a FIFO (named pipe), not a regular file.`);
  });
});
