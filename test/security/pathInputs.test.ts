import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError } from '../../main/api/apiClient';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { startServeProcess, within, type ServeProcess } from '../support/serveProcess';
import { tempDir } from '../support/tempDir';
import { makeHostile, PASSWD_SECRET, releaseFifo, type HostileKind } from './hostilePaths';

/**
 * Issue 10, finding 4: engine.inspect read model files on the server's main thread, so a
 * config.json that is a FIFO froze every client and one linked to /dev/zero ate memory. Model
 * folders are now read in a worker, regular files only, with size limits.
 */
const fixtures = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'studio-path-inputs-'));
let model: string;
let serve: ServeProcess;
const fifos: string[] = [];

/** A copy of the test model with `file` replaced by something hostile. */
function folderWith(file: string, kind: HostileKind): string {
  const dir = fs.mkdtempSync(path.join(fixtures, `${kind}-`));
  for (const f of fs.readdirSync(model)) if (f !== file) fs.copyFileSync(path.join(model, f), path.join(dir, f));
  const p = makeHostile(kind, path.join(dir, file));
  if (kind === 'fifo') fifos.push(p);
  return dir;
}

beforeAll(async () => {
  model = buildTestModel(path.join(fixtures, 'gpt2'), { family: 'gpt2', dtype: 'F32' }).dir;
  serve = await startServeProcess(fs.mkdtempSync(path.join(fixtures, 'home-')));
});
afterAll(async () => {
  // Without the fix the server is stuck opening a FIFO: let it go so it can stop.
  for (const f of fifos) releaseFifo(f);
  await serve?.stop();
  fs.rmSync(fixtures, { recursive: true, force: true });
});

async function inspectFails(dir: string): Promise<ApiCallError> {
  const { client, socket } = await serve.connect();
  const other = await serve.connect();
  try {
    const call = client.call('engine.inspect', { dir }).then(
      () => null,
      (e: unknown) => e,
    );
    // Another client is answered while the inspection runs (or hangs).
    const info = await within(other.client.call('workspace.current', {}), 20_000, 'a second client during engine.inspect');
    expect(info.name).toBe('demo');
    const err = await within(call, 60_000, 'engine.inspect');
    expect(err).toBeInstanceOf(ApiCallError);
    return err as ApiCallError;
  } finally {
    socket.close();
    other.socket.close();
  }
}

describe('engine.inspect on hostile model folders (a real serve process)', () => {
  it('a FIFO config.json fails cleanly and the server keeps answering', async () => {
    const err = await inspectFails(folderWith('config.json', 'fifo'));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/config\.json: config\.json: is a FIFO \(named pipe\), not a regular file/);
  });

  it('config.json linked to /dev/zero fails cleanly without reading it', async () => {
    const err = await inspectFails(folderWith('config.json', 'devZero'));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/is a character device, not a regular file/);
    expect(serve.child.exitCode).toBeNull();
  });

  it.each([
    ['tokenizer.json', 'fifo'],
    ['tokenizer.json', 'devZero'],
    ['model.safetensors', 'fifo'],
    ['model.safetensors', 'devZero'],
  ] as const)('%s as %s fails cleanly naming the file', async (file, kind) => {
    const err = await inspectFails(folderWith(file, kind));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not a regular file/);
  });

  it('an error never quotes the file it points at (/etc/passwd as config.json)', async () => {
    const err = await inspectFails(folderWith('config.json', 'passwd'));
    expect(err.message).toMatch(/config\.json: not valid JSON \(line 1, column \d+\)/);
    expect(err.message).not.toContain(PASSWD_SECRET);
  });

  it('`studio model inspect` refuses the same folders (exit 1, named file, no hang)', () => {
    for (const kind of ['fifo', 'devZero'] as const) {
      const dir = folderWith('config.json', kind);
      const r = spawnSync(process.execPath, [path.resolve('bin/studio.mjs'), 'model', 'inspect', dir, '--json'], {
        env: { ...process.env, STUDIO_HOME: tempDir() },
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (kind === 'fifo') releaseFifo(path.join(dir, 'config.json'));
      expect(r.signal, kind).toBeNull();
      expect(r.status, kind).toBe(1);
      expect(JSON.parse(r.stdout).error.message).toMatch(/config\.json.*not a regular file/);
    }
  });
});
