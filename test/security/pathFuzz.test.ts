import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError, type ApiClient } from '../../main/api/apiClient';
import type { Job } from '../../main/api/jobSchemas';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { startServeProcess, within, type ServeProcess } from '../support/serveProcess';
import { HOSTILE_KINDS, makeHostile, PASSWD_SECRET, releaseFifo, seededRandom, type HostileKind } from './hostilePaths';

/**
 * Every API method that takes a path, called on a real serve process with hostile paths picked
 * by a seeded generator (SEED picks another mix; the failing case names its seed and index).
 * Each call must end in a clean error (or, where the rule allows it, a clean success), quote no
 * file's bytes, and leave the server answering another client.
 *
 * Path-taking methods: engine.inspect {dir}; jobs.start artifacts.import {path}; jobs.start
 * engine.train {model, data, eval, out, resume}.
 */
const SEED = Number(process.env.SEED ?? 20261205);
const CASES = 36;

type Slot =
  | { method: 'inspect-dir' }
  | { method: 'inspect-file'; file: string }
  | { method: 'import' }
  | { method: 'train'; field: 'model' | 'data' | 'eval' | 'out' | 'resume' };

const SLOTS: Slot[] = [
  { method: 'inspect-dir' },
  ...['config.json', 'tokenizer.json', 'tokenizer_config.json', 'model.safetensors', 'generation_config.json'].map((file) => ({ method: 'inspect-file' as const, file })),
  { method: 'import' },
  ...(['model', 'data', 'eval', 'out', 'resume'] as const).map((field) => ({ method: 'train' as const, field })),
];

const fixtures = fs.mkdtempSync(path.join(process.env.TMPDIR ?? '/tmp', 'studio-path-fuzz-'));
let model: string;
let data: string;
let serve: ServeProcess;
let main: ApiClient;
let watcher: ApiClient;
const fifos: string[] = [];
const sockets: { close(): void }[] = [];

beforeAll(async () => {
  model = buildTestModel(path.join(fixtures, 'gpt2'), { family: 'gpt2', dtype: 'F32' }).dir;
  data = path.join(fixtures, 'data.jsonl');
  fs.writeFileSync(data, '{"text": "hello world"}\n');
  serve = await startServeProcess(fs.mkdtempSync(path.join(fixtures, 'home-')));
  const a = await serve.connect();
  const b = await serve.connect();
  main = a.client;
  watcher = b.client;
  sockets.push(a.socket, b.socket);
});
afterAll(async () => {
  for (const f of fifos) releaseFifo(f);
  for (const s of sockets) s.close();
  await serve?.stop();
  fs.rmSync(fixtures, { recursive: true, force: true });
});

function hostileAt(kind: HostileKind, target: string): string {
  const p = makeHostile(kind, target);
  if (kind === 'fifo') fifos.push(target);
  return p;
}

async function jobOutcome(job: Job): Promise<Job> {
  for (;;) {
    const j = await main.call('jobs.get', { id: job.id });
    if (j.status !== 'queued' && j.status !== 'running') return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A finished call: the error it failed with, or what it returned. */
async function run(slot: Slot, kind: HostileKind, caseDir: string): Promise<{ code: string; message: string } | { ok: unknown }> {
  const catchApi = (e: unknown) => {
    if (e instanceof ApiCallError) return { code: e.code, message: e.message };
    throw e;
  };
  if (slot.method === 'inspect-dir') {
    return main.call('engine.inspect', { dir: hostileAt(kind, path.join(caseDir, 'model')) }).then((ok) => ({ ok }), catchApi);
  }
  if (slot.method === 'inspect-file') {
    const dir = path.join(caseDir, 'model');
    fs.mkdirSync(dir);
    for (const f of fs.readdirSync(model)) if (f !== slot.file) fs.copyFileSync(path.join(model, f), path.join(dir, f));
    hostileAt(kind, path.join(dir, slot.file));
    return main.call('engine.inspect', { dir }).then((ok) => ({ ok }), catchApi);
  }
  const params =
    slot.method === 'import'
      ? { kind: 'artifacts.import' as const, params: { path: hostileAt(kind, path.join(caseDir, 'file')) } }
      : {
          kind: 'engine.train' as const,
          params: {
            model,
            data,
            out: path.join(caseDir, 'adapter'),
            steps: 1,
            // Within the test model's 64 positions, so the paths are what fails.
            seq: 16,
            // The hostile field replaces the good one; `resume` is extra.
            [slot.field]: hostileAt(kind, path.join(caseDir, slot.field)),
          },
        };
  let job: Job;
  try {
    job = await main.call('jobs.start', params);
  } catch (e) {
    return catchApi(e);
  }
  const done = await jobOutcome(job);
  if (done.status === 'succeeded') return { ok: done.result };
  return { code: done.error?.code ?? done.status, message: done.error?.message ?? '' };
}

/**
 * Success is right only where the rule allows it: an artifact import of a regular file the local
 * user can read (their own choice, see docs/SECURITY.md), or an inspection that does not need the
 * file (generation_config.json is not read; a missing tokenizer is reported as none; nul and
 * longName leave the file simply missing).
 */
function maySucceed(slot: Slot, kind: HostileKind): boolean {
  if (slot.method === 'import') return ['procMem', 'passwd', 'traversal'].includes(kind);
  if (slot.method !== 'inspect-file') return false;
  if (slot.file === 'generation_config.json') return true;
  return ['tokenizer.json', 'tokenizer_config.json'].includes(slot.file) && ['dangling', 'nul', 'longName'].includes(kind);
}

describe('fuzzing every path-taking API method (a real serve process)', () => {
  it(`${CASES} seeded hostile paths end in clean answers and the server stays up (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    for (let i = 0; i < CASES; i++) {
      const slot = SLOTS[Math.floor(random() * SLOTS.length)]!;
      let kind = HOSTILE_KINDS[Math.floor(random() * HOSTILE_KINDS.length)]!;
      // An 8 GiB sparse file is a legal artifact (a regular file the user can read): importing it
      // would copy 8 GiB, which proves nothing. Everything else is fair.
      if (slot.method === 'import' && kind === 'huge') kind = 'devZero';
      const label = `case ${i} (seed ${SEED}): ${JSON.stringify(slot)} ${kind}`;
      const caseDir = path.join(fixtures, `case-${i}`);
      fs.mkdirSync(caseDir);
      const outcome = await within(run(slot, kind, caseDir), 60_000, label);
      const info = await within(watcher.call('app.info', {}), 20_000, `${label}: another client afterwards`);
      expect(info.mode, label).toBe('serve');
      if ('ok' in outcome) {
        expect(maySucceed(slot, kind), `${label} succeeded`).toBe(true);
        continue;
      }
      expect(outcome.code, `${label}: ${outcome.message}`).not.toBe('INTERNAL');
      expect(outcome.message, label).not.toContain(PASSWD_SECRET);
      expect(outcome.message.length, `${label}: ${outcome.message.slice(0, 200)}`).toBeLessThan(2000);
    }
    expect(serve.child.exitCode).toBeNull();
  });
});
