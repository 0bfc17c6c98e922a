import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { DEFAULT_MODEL_FILES } from '../../main/engine/defaultModel/writeDefaultModelFolder';

/**
 * `--model default` through the built CLI (`npm run build:node` first). The built-in model is
 * found through $STUDIO_DEFAULT_MODEL_DIR here: a tiny Llama folder with a model card listing
 * its files' sha256, as `npm run build:default-model` writes. A missing card, a missing file and
 * a file whose bytes changed are each refused naming the file, before anything is loaded.
 */
const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-default-model-cli-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function studio(defaultDir: string, ...args: string[]) {
  const home = path.join(root, 'home');
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home, STUDIO_DEFAULT_MODEL_DIR: defaultDir }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

const sha256 = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
const good = path.join(root, 'good');

function writeCard(dir: string): void {
  const rows = DEFAULT_MODEL_FILES.map((f) => `| \`${f}\` | \`${sha256(path.join(dir, f))}\` |`);
  fs.writeFileSync(path.join(dir, 'README.md'), ['# test default model', '', '| file | sha256 |', '| --- | --- |', ...rows, ''].join('\n'));
}

beforeAll(() => {
  buildTestModel(good, { family: 'llama', seed: 5 });
  writeCard(good);
});

describe('--model default through the studio CLI', () => {
  it('inspects, generates from and trains on the built-in model', () => {
    const inspect = studio(good, 'model', 'inspect', 'default', '--json');
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.json()).toMatchObject({ dir: good, modelType: 'llama' });
    const inspectFlag = studio(good, 'model', 'inspect', '--model', 'default', '--json');
    expect(inspectFlag.code, inspectFlag.stderr).toBe(0);
    expect(inspectFlag.json()).toMatchObject({ dir: good });

    const gen = studio(good, 'generate', '--model', 'default', '--prompt', 'The ship', '--max-tokens', '4', '--json');
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.json().tokens).toHaveLength(4);

    const data = path.join(root, 'texts.jsonl');
    fs.writeFileSync(data, `${JSON.stringify({ text: 'The ship sailed at dawn.' })}\n`);
    const train = studio(good, 'train', '--model', 'default', '--data', data, '--out', path.join(root, 'adapter'), '--steps', '2', '--batch', '1', '--seq', '16', '--json');
    expect(train.code, train.stderr).toBe(0);
    expect(train.json()).toMatchObject({ model: good, steps: 2 });

    // In a --config file too ("default" is not a path relative to the file).
    const config = path.join(root, 'configs', 'train.json');
    fs.mkdirSync(path.dirname(config));
    fs.writeFileSync(config, JSON.stringify({ model: 'default', data: '../texts.jsonl', out: '../adapter-2', steps: 1, batch: 1, seq: 16 }));
    const fromConfig = studio(good, 'train', '--config', config, '--json');
    expect(fromConfig.code, fromConfig.stderr).toBe(0);
    expect(fromConfig.json()).toMatchObject({ model: good, steps: 1 });
  });

  it('names a missing model card, a missing file and a corrupt file', () => {
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty);
    const notBuilt = studio(empty, 'generate', '--model', 'default', '--prompt', 'The ship', '--json');
    expect(notBuilt.code).toBe(1);
    expect(notBuilt.json().error).toMatchObject({ code: 'MODEL_INVALID' });
    expect(notBuilt.json().error.message).toMatch(/default model is not built yet: .*empty\/README\.md .*npm run build:default-model/);

    const missing = path.join(root, 'missing');
    fs.cpSync(good, missing, { recursive: true });
    fs.rmSync(path.join(missing, 'tokenizer.json'));
    const gone = studio(missing, 'model', 'inspect', 'default', '--json');
    expect(gone.code).toBe(1);
    expect(gone.json().error.message).toMatch(/missing\/tokenizer\.json is missing/);

    const corrupt = path.join(root, 'corrupt');
    fs.cpSync(good, corrupt, { recursive: true });
    const weights = path.join(corrupt, 'model.safetensors');
    const bytes = fs.readFileSync(weights);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    fs.writeFileSync(weights, bytes);
    for (const args of [['generate', '--model', 'default', '--prompt', 'x'], ['model', 'inspect', 'default'], ['train', '--model', 'default', '--data', 'none.jsonl', '--out', path.join(root, 'never')]]) {
      const r = studio(corrupt, ...args, '--json');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.json().error.message).toMatch(/corrupt\/model\.safetensors is corrupt: its sha256 is [0-9a-f]{64}, the model card lists [0-9a-f]{64}/);
    }
    expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
  });

  it('says so in the help', () => {
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' }).stdout;
    expect(help).toContain('studio generate --model DIR|default');
    expect(help).toContain('studio model inspect (DIR|default | --model DIR|default)');
    expect(help).toContain('studio train (--config FILE | --model DIR|default (--data FILE.jsonl | --datanet NAME[@V])');
  });
});
