// The Factory through the built CLI (`npm run build:node` first), as a model builder runs it:
// real processes, a real SQLite workspace under a temp STUDIO_HOME, a tiny Llama on the native
// engine, a datanet imported, accepted and frozen. Tests run in order and share the workspace.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { openRecordGradientStore } from '../../main/attribution/recordGradientStore';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { Tokenizer } from '../../main/engine/tokenizer/Tokenizer';

/** The datanet's record i (source id `r${i}`). */
const story = (i: number) => `Story ${i}: the fox and the crow met by the river and talked of the ${['rain', 'sun', 'wind'][i % 3]}.`;
const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-factory-cli-'));
const home = path.join(root, 'home');
const model = path.join(root, 'llama');
const WHO = ['0x70997970C51812dc3A010C7d01b50e0d17dc79C8', '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC', '0x90F79bf6EB2c4f870365E785982E1f101E93b906'];

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const ok = (...args: string[]) => {
  const r = studio(...args, '--json');
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json();
};

/** A pipeline file beside the model; `train` and the other nodes override the defaults below. */
function pipeline(name: string, o: { train?: string[]; lora?: string[]; split?: string[]; extra?: string[]; datanet?: string } = {}): string {
  const text = [
    'pipeline: 1',
    `name: ${name}`,
    'datanet:',
    `  name: ${o.datanet ?? 'stories'}`,
    'split:',
    ...(o.split ?? ['  evalFraction: 0.2', '  by: contributor', '  seed: 3']),
    'model:',
    '  base: ./llama',
    'lora:',
    ...(o.lora ?? ['  targets: [q, v]', '  rank: 4']),
    'train:',
    ...(o.train ?? ['  lr: 0.01', '  steps: 6', '  batch: 2', '  seq: 32', '  evalEvery: 3', '  checkpointEvery: 3']),
    'evaluate:',
    '  prompts: ["The fox"]',
    '  maxTokens: 4',
    'adapter:',
    `  name: ${name}`,
    ...(o.extra ?? []),
    '',
  ].join('\n');
  const file = path.join(root, `${name}.pipeline.yaml`);
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(() => {
  buildTestModel(model, { family: 'llama', seed: 5 });
  const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `r${i}`, text: story(i), who: WHO[i % 3] }));
  fs.writeFileSync(path.join(root, 'stories.jsonl'), rows.join('\n'));
  ok('datanet', 'create', 'stories');
  ok('datanet', 'import', 'stories', '--file', path.join(root, 'stories.jsonl'), '--contributor-field', 'who');
  ok('datanet', 'review', 'stories', '--filter', 'all', '--action', 'accept');
  ok('datanet', 'version', 'stories');
}, 240_000);

afterAll(() => {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'));
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

describe('studio train --config FILE.pipeline.yaml and studio runs', { timeout: 300_000 }, () => {
  let first: { runId: string; adapter: string; adapterPath: string };

  it('runs a pipeline headless and prints the run summary', () => {
    const s = ok('train', '--config', pipeline('tiny'), '--gradient-store');
    expect(s).toMatchObject({ status: 'completed', steps: 6, resumedFromStep: 0, adapter: 'tiny', finalLoss: expect.any(Number), evalLoss: expect.any(Number), runId: expect.stringMatching(/^[a-z0-9-]+$/) });
    expect(fs.existsSync(path.join(s.adapterPath, 'adapter_model.safetensors'))).toBe(true);
    first = s;

    const [listed] = ok('runs', 'list');
    expect(listed).toMatchObject({ id: s.runId, status: 'completed', step: 6, steps: 6, adapter: 'tiny', datanet: { name: 'stories', version: 1 } });
    const shown = ok('runs', 'show', s.runId);
    expect(shown.metrics.map((m: { step: number }) => m.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(shown.metrics[0]).toMatchObject({ loss: expect.any(Number), lr: 0.01, gradNorm: expect.any(Number), tokensPerSecond: expect.any(Number), memoryMB: expect.any(Number) });
    // An evaluation at each evalEvery, with eval figures and a sample of each fixed prompt.
    expect(shown.evaluations.map((e: { step: number }) => e.step)).toEqual([3, 6]);
    expect(shown.evaluations[1]).toMatchObject({ checkpoint: true, evalLoss: s.evalLoss, samples: [{ prompt: 'The fox', text: expect.any(String) }] });
    expect(shown.pipeline.datanet.version).toBe(1);

    // The adapter is registered with its lineage: the run, the datanet version's root, the base's hashes.
    const adapter = ok('adapters', 'show', 'tiny');
    expect(adapter).toMatchObject({ source: 'trained', run: s.runId, datanet: `stories@1 ${listed.datanet.merkleRoot}` });
    expect(adapter.base.digest).toBe(listed.model.digest);

    // --gradient-store: the run's follow-up job built the adapter's gradient store over exactly its train split
    // (the held-out contributor's records left out), each row named by the record's source id.
    const trained = fs.readFileSync(path.join(s.runDir, 'factory', 'train.jsonl'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { text: string }).text);
    expect(s.gradientStore).toMatchObject({ records: trained.length });
    const store = openRecordGradientStore(s.gradientStore.dir, path.basename(s.gradientStore.dir));
    expect(store.ids.map((id) => story(Number(id.slice(1))))).toEqual(trained);
    expect(trained.length).toBeLessThan(30);
  });

  it('compares runs: the settings that differ, final figures, samples side by side', () => {
    const second = ok('train', '--config', pipeline('tiny-lr', { train: ['  lr: 0.02', '  steps: 6', '  batch: 2', '  seq: 32', '  evalEvery: 3', '  checkpointEvery: 3'] }));
    // Without --gradient-store the CLI leaves the store to the first attribution: no job started.
    expect(second.gradientStore).toBeUndefined();
    expect(ok('jobs', 'list').filter((j: { kind: string }) => j.kind === 'attribution.gradients')).toHaveLength(1);
    const c = ok('runs', 'compare', first.runId, second.runId);
    expect(c.runs.map((r: { id: string }) => r.id)).toEqual([first.runId, second.runId]);
    expect(c.differences).toEqual([{ path: 'train.lr', values: [0.01, 0.02] }]);
    expect(c.samples).toEqual([{ prompt: 'The fox', texts: [expect.any(String), expect.any(String)] }]);
    expect(c.curves[1].loss).toHaveLength(6);
    expect(studio('runs', 'compare', first.runId, '--json').code).not.toBe(0);
  });

  it('exports a run as a PEFT job, a merged Hugging Face folder and GGUF with a Modelfile', () => {
    const job = ok('runs', 'export', first.runId, '--format', 'peft-job', '--out', path.join(root, 'job'));
    expect(job.files).toEqual(['data/eval.jsonl', 'data/train.jsonl', 'job.json', 'requirements.txt', 'train.py']);
    const config = JSON.parse(fs.readFileSync(path.join(root, 'job', 'job.json'), 'utf8'));
    expect(config).toMatchObject({ base_model: model, lora: { r: 4, target_modules: ['q_proj', 'v_proj'] }, training: { learning_rate: 0.01, max_steps: 6, per_device_train_batch_size: 2, max_seq_length: 32 } });
    // The run's own formatted split travels with it: the same records the engine trained on.
    const run = ok('runs', 'show', first.runId);
    expect(fs.readFileSync(path.join(root, 'job', 'data', 'train.jsonl'), 'utf8')).toBe(fs.readFileSync(path.join(run.runDir, 'factory', 'train.jsonl'), 'utf8'));
    expect(ok('runs', 'export', first.runId, '--format', 'hf', '--out', path.join(root, 'hf')).files).toEqual(expect.arrayContaining(['model/config.json', 'model/model.safetensors', 'model/tokenizer.json']));
    // The merged folder is a model the engine loads.
    expect(ok('model', 'inspect', path.join(root, 'hf', 'model')).modelType).toBe('llama');
    const gguf = ok('runs', 'export', first.runId, '--format', 'gguf', '--out', path.join(root, 'gguf'));
    expect(gguf.files).toEqual(['Modelfile', 'model.gguf']);
    expect(fs.readFileSync(path.join(root, 'gguf', 'Modelfile'), 'utf8')).toContain('FROM ./model.gguf');
    expect(fs.readFileSync(path.join(root, 'gguf', 'model.gguf')).subarray(0, 4).toString()).toBe('GGUF');
    expect(studio('runs', 'export', first.runId, '--format', 'hf', '--out', path.join(root, 'hf'), '--json').json().error.message).toMatch(/exists already/);
  });

  it('publishes a run\'s adapter with its lineage on a real Anvil devnet', () => {
    expect(studio('devnet', 'start', '--json').code).toBe(0);
    const p = ok('adapters', 'publish', 'tiny');
    // First use on this chain: the datanet version and the base model are published before the adapter.
    expect(p.publications.map((x: { kind: string; status: string }) => `${x.kind}:${x.status}`)).toEqual(['datanet.version:confirmed', 'model.base:confirmed', 'model.adapter:confirmed']);
    const run = ok('runs', 'show', first.runId);
    expect(p).toMatchObject({ adapter: 'tiny', configHash: `0x${run.configHash}`, datanet: { name: 'stories', version: 1, merkleRoot: run.datanet.merkleRoot } });
    const logs = ok('chain', 'logs', '--contract', 'ModelRegistry');
    const base = logs.find((l: { eventName: string }) => l.eventName === 'BaseModelRegistered');
    expect(base.args.filesHash).toBe(`0x${run.model.digest}`);
    const registered = logs.find((l: { eventName: string }) => l.eventName === 'AdapterRegistered');
    expect(registered.args).toMatchObject({
      modelId: p.modelId,
      baseModelId: base.args.modelId,
      filesHash: p.filesHash,
      trainingConfigHash: `0x${run.configHash}`,
      datanetVersions: [{ datanetId: p.datanet.onchainDatanetId, version: p.datanet.onchainVersion }],
    });
    expect(ok('chain', 'call', 'ModelRegistry', 'getModel', p.modelId).result).toMatchObject({ filesHash: p.filesHash, trainingConfigHash: `0x${run.configHash}` });
    // A second adapter reuses the base model and datanet version on chain; the same adapter is refused.
    expect(ok('adapters', 'publish', 'tiny-lr').publications.map((x: { kind: string }) => x.kind)).toEqual(['model.adapter']);
    expect(studio('adapters', 'publish', 'tiny', '--json').json().error.message).toMatch(new RegExp(`already registered on this chain as model ${p.modelId}`));
    // publish.enabled in the pipeline: the run's adapter is registered when the run completes.
    // (Another seed: the same settings would train the very same adapter, which is refused above.)
    const auto = ok('train', '--config', pipeline('tiny-pub', { train: ['  lr: 0.01', '  steps: 6', '  batch: 2', '  seq: 32', '  seed: 5'], extra: ['publish:', '  enabled: true'] }));
    expect(auto.published).toEqual({ modelId: String(Number(p.modelId) + 2), baseModelId: base.args.modelId });
    expect(studio('devnet', 'stop', '--json').code).toBe(0);
  });

  it('refuses a pipeline with an unknown field, naming the node, the field and the line', () => {
    const file = pipeline('bad', { extra: ['publish:', '  enabled: false', '  loop: train'] });
    const r = studio('train', '--config', file, '--json');
    expect(r.code).toBe(1);
    expect(r.json().error.code).toBe('PIPELINE_INVALID');
    const line = fs.readFileSync(file, 'utf8').split('\n').indexOf('  loop: train') + 1;
    expect(r.json().error.details.errors).toEqual([{ node: 'publish', field: 'loop', message: 'unknown field "publish.loop"', line }]);
    expect(r.stderr).toContain(`${file}:${line}: publish.loop: unknown field "publish.loop"`);
  });

  it('puts invalid values and a model that does not fit on their nodes', () => {
    const before = ok('runs', 'list').length;
    const file = pipeline('misfit', { lora: ['  targets: [q, c_attn]'], train: ['  steps: 2', '  seq: 512'], split: ['  evalFraction: 0.01'] });
    const r = studio('pipeline', 'validate', file, '--json');
    expect(r.code).toBe(1);
    const errors = r.json().error.details.errors as { node: string; field: string; message: string }[];
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ node: 'train', field: 'seq', message: expect.stringMatching(/longer than the model's context \(256 positions\)/) }),
        expect.objectContaining({ node: 'lora', field: 'targets.1', message: expect.stringMatching(/no module "c_attn"/) }),
        expect.objectContaining({ node: 'split', field: 'evalFraction', message: expect.stringMatching(/eval split is empty/) }),
      ]),
    );
    const chat = studio('pipeline', 'validate', pipeline('chatty', { extra: ['format:', '  kind: instruction'] }), '--json');
    expect(chat.json().error.details.errors).toEqual([expect.objectContaining({ node: 'format', field: 'kind', message: expect.stringMatching(/holds text records, which format 'instruction' cannot use/) })]);
    // Nothing was recorded for invalid pipelines.
    expect(ok('runs', 'list')).toHaveLength(before);
  });

  it('resumes a killed run from its last checkpoint, with the numbers of an unbroken run', async () => {
    const train = ['  lr: 0.01', '  steps: 40', '  batch: 2', '  seq: 32', '  checkpointEvery: 4', '  seed: 1'];
    const file = pipeline('killed', { train });
    const child = spawn(process.execPath, [bin, 'train', '--config', file, '--json'], { env: { ...process.env, STUDIO_HOME: home }, stdio: 'ignore' });
    const runs = path.join(home, 'workspaces', 'demo', 'runs');
    // Kill it once a checkpoint is on disk (SIGKILL: no chance to settle anything).
    const state = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        for (const d of fs.existsSync(runs) ? fs.readdirSync(runs) : []) {
          const f = path.join(runs, d, 'checkpoint', 'trainer_state.json');
          if (fs.existsSync(f) && fs.readFileSync(path.join(runs, d, 'factory', 'train.jsonl'), 'utf8').length > 0 && d > first.runId && !fs.existsSync(path.join(runs, d, 'adapter'))) {
            clearInterval(timer);
            child.kill('SIGKILL');
            resolve(f);
          }
        }
      }, 20);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('the run ended before it could be killed'));
      });
    });
    await new Promise((r) => child.on('exit', r));
    const runId = path.basename(path.dirname(path.dirname(state)));
    const killed = ok('runs', 'list').find((r: { id: string }) => r.id === runId);
    expect(killed).toMatchObject({ status: 'interrupted', reason: expect.stringContaining(`studio runs resume ${runId}`) });

    const resumed = ok('runs', 'resume', runId);
    expect(resumed.resumedFromStep).toBeGreaterThan(0);
    expect(resumed).toMatchObject({ status: 'completed', steps: 40 });
    const unbroken = ok('train', '--config', pipeline('unbroken', { train }));
    expect(resumed.finalLoss).toBe(unbroken.finalLoss);
    const shown = ok('runs', 'show', runId);
    expect(shown.metrics.map((m: { step: number }) => m.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(studio('runs', 'resume', runId, '--json').json().error.message).toMatch(/is completed; only a failed, cancelled or interrupted run resumes/);
  });

  it('fails a run whose loss turns NaN with the reason, keeping its last checkpoint', () => {
    // A base model with one corrupt embedding row (+Inf): the step whose batch holds that token
    // computes a NaN loss. Only one record has the token, so earlier steps checkpoint normally.
    const corrupt = path.join(root, 'corrupt');
    fs.cpSync(model, corrupt, { recursive: true });
    const rows = Array.from({ length: 12 }, (_, i) => ({ id: `z${i}`, text: i === 9 ? 'QQQ ZZZ XXX' : `Plain line ${i} about the river.`, who: WHO[0] }));
    const tok = Tokenizer.fromModelDir(model);
    const elsewhere = new Set(rows.filter((_, i) => i !== 9).flatMap((r) => tok.encode(r.text)));
    const token = [...new Set(tok.encode(rows[9]!.text, { addSpecialTokens: false }))].filter((id) => !elsewhere.has(id));
    expect(token.length).toBeGreaterThan(0);
    const file = path.join(corrupt, 'model.safetensors');
    const bytes = fs.readFileSync(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8'));
    const emb = header['model.embed_tokens.weight'];
    const hidden = emb.shape[1];
    for (const id of token) for (let j = 0; j < hidden; j++) bytes.writeFloatLE(Infinity, 8 + headerLength + emb.data_offsets[0] + (id * hidden + j) * 4);
    fs.writeFileSync(file, bytes);
    fs.writeFileSync(path.join(root, 'zebra.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    ok('datanet', 'create', 'zebra');
    ok('datanet', 'import', 'zebra', '--file', path.join(root, 'zebra.jsonl'), '--contributor-field', 'who');
    ok('datanet', 'review', 'zebra', '--filter', 'all', '--action', 'accept');
    ok('datanet', 'version', 'zebra');
    const text = fs.readFileSync(pipeline('nan', { datanet: 'zebra', split: ['  evalFraction: 0'], train: ['  steps: 12', '  batch: 1', '  seq: 16', '  checkpointEvery: 1'] }), 'utf8').replace('./llama', './corrupt');
    fs.writeFileSync(path.join(root, 'nan.pipeline.yaml'), text);
    const r = studio('train', '--config', path.join(root, 'nan.pipeline.yaml'), '--json');
    expect(r.code).toBe(1);
    const error = r.json().error;
    expect(error.code).toBe('TRAINING_FAILED');
    expect(error.message).toMatch(/loss is not finite \(NaN or Inf\).*; the last checkpoint \(step (\d+)\) is kept: studio runs resume /);
    const step = Number(/checkpoint \(step (\d+)\)/.exec(error.message)![1]);
    expect(step).toBeGreaterThan(0);
    const run = ok('runs', 'list').find((x: { name: string }) => x.name === 'nan');
    expect(run).toMatchObject({ status: 'failed', reason: error.message.replace(/^run [^:]+: /, ''), adapter: null });
    const saved = JSON.parse(fs.readFileSync(path.join(run.runDir, 'checkpoint', 'trainer_state.json'), 'utf8'));
    expect(saved.step).toBe(step);
    expect(ok('runs', 'show', run.id).metrics.at(-1)).toMatchObject({ step });
  });
});
