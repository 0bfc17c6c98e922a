import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';

/**
 * Issue 10, finding 6: after `kill -9` of a training process a read-only `studio jobs list` still
 * showed the job running, and the interrupted reason did not say where the checkpoint is or how
 * to resume. Readers now see that the lock's owner is dead; the reason names the run folder and
 * the exact command, which is then run as printed.
 */
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-interrupted-'));
const home = path.join(root, 'home');
const bin = path.resolve('bin/studio.mjs');
const model = path.join(root, 'llama');
const data = path.join(root, 'data.jsonl');

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

beforeAll(() => {
  buildTestModel(model, { family: 'llama', seed: 3 });
  fs.writeFileSync(data, ['Who keeps the data? The curators.', 'Training runs on the local machine.'].map((text) => JSON.stringify({ text })).join('\n') + '\n');
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('a training process killed with SIGKILL', () => {
  it('read-only jobs list reports it interrupted with the run folder and the resume command, which works as printed', async () => {
    const out = path.join(root, 'adapter');
    const child = spawn(
      process.execPath,
      [bin, 'train', '--model', model, '--data', data, '--out', out, '--rank', '4', '--steps', '200', '--batch', '2', '--seq', '16', '--checkpoint-every', '10', '--json'],
      { env: { ...process.env, STUDIO_HOME: home }, stdio: 'ignore' },
    );
    const exited = new Promise((r) => child.once('exit', r));
    const runs = path.join(home, 'workspaces', 'demo', 'runs');
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the training ended (code ${child.exitCode}) before it could be killed mid-run`);
      const run = fs.existsSync(runs) ? fs.readdirSync(runs)[0] : undefined;
      const metrics = run ? path.join(runs, run, 'metrics.jsonl') : '';
      if (metrics && fs.existsSync(metrics) && fs.readFileSync(metrics, 'utf8').split('\n').length > 25) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    const runDir = path.join(runs, fs.readdirSync(runs)[0]!);
    const db = path.join(home, 'workspaces', 'demo', 'studio.db');
    const dbBefore = fs.readFileSync(db);

    const listed = studio('jobs', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    const [job] = listed.json() as { status: string; error: { code: string; message: string; details: { runDir: string; checkpointStep: number; resumeCommand: string } } }[];
    expect(job!.status).toBe('interrupted');
    expect(job!.error.code).toBe('INTERRUPTED');
    const command = `studio train --resume ${path.basename(runDir)} --workspace demo`;
    expect(job!.error.details).toMatchObject({ runDir, resumeCommand: command });
    expect(job!.error.details.checkpointStep % 10).toBe(0);
    expect(job!.error.details.checkpointStep).toBeGreaterThanOrEqual(20);
    expect(job!.error.message).toContain(runDir);
    expect(job!.error.message).toContain(command);
    // The reader wrote nothing: the row still says running until a writer opens the workspace.
    expect(fs.readFileSync(db)).toEqual(dbBefore);
    const ro = new Database(db, { readonly: true });
    expect((ro.prepare('SELECT status FROM jobs').get() as { status: string }).status).toBe('running');
    ro.close();

    // The printed command, word for word, continues from that checkpoint.
    const resumed = studio(...command.split(' ').slice(1), '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.json().resumedFromStep).toBe(job!.error.details.checkpointStep);
    expect(fs.existsSync(path.join(out, 'adapter_model.safetensors'))).toBe(true);
    // The writer recorded the same reason.
    const after = studio('jobs', 'list', '--json').json() as { status: string; error: { message: string } | null }[];
    expect(after.map((j) => j.status)).toEqual(['succeeded', 'interrupted']);
    expect(after[1]!.error!.message).toBe(job!.error.message);
  });
});
