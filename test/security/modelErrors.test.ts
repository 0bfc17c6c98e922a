import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { tempDir } from '../support/tempDir';

/**
 * Issue 10, finding 11: a tokenizer.json that is not JSON (or is `{}`) failed with a raw exception
 * and no file name, and `studio model inspect` exited 0 for a config contradicting the weights
 * while generate refused the folder. Both now fail, exit 1, naming the file and field.
 */
function inspect(dir: string): { status: number | null; error: { code: string; message: string } | null } {
  const r = spawnSync(process.execPath, [path.resolve('bin/studio.mjs'), 'model', 'inspect', dir, '--json'], {
    env: { ...process.env, STUDIO_HOME: tempDir() },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, error: r.status === 0 ? null : (JSON.parse(r.stdout) as { error: { code: string; message: string } }).error };
}

function editConfig(dir: string, edit: (c: Record<string, unknown>) => void): void {
  const file = path.join(dir, 'config.json');
  const c = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  edit(c);
  fs.writeFileSync(file, JSON.stringify(c));
}

describe('model folders that contradict themselves (studio model inspect)', () => {
  const model = () => buildTestModel(path.join(tempDir(), 'm'), { family: 'gpt2', dtype: 'F32' }).dir;

  it('the untouched folder inspects fine', () => {
    expect(inspect(model()).status).toBe(0);
  });

  it.each([
    ['not JSON', 'this is { not json', /tokenizer\.json .*tokenizer\.json: not valid JSON \(line 1, column \d+\)/],
    ['{}', '{}', /tokenizer\.json .*tokenizer\.json: model: missing; a tokenizer\.json needs a "model" object/],
    ['[]', '[]', /tokenizer\.json .*tokenizer\.json: not a JSON object/],
  ])('a tokenizer.json that is %s fails naming the file', (_name, text, message) => {
    const dir = model();
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), text);
    const r = inspect(dir);
    expect(r.status).toBe(1);
    expect(r.error?.message).toMatch(message);
    expect(r.error?.message).not.toContain('this is');
  });

  it.each([
    ['n_embd', 48, /n_embd|hidden|shape/],
    ['vocab_size', 1000, /vocab|shape/],
  ])('a %s that contradicts the weights fails (exit 1, names the tensor shape)', (field, value, message) => {
    const dir = model();
    editConfig(dir, (c) => (c[field] = value));
    const r = inspect(dir);
    expect(r.status).toBe(1);
    expect(r.error?.message).toMatch(message);
    expect(r.error?.message).toContain('wte.weight');
  });
});
