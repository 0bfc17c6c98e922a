import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineStatus } from '../../main/core/capabilities';
import { StudioCore } from '../../main/core/studioCore';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { modelSpecWithFiles } from '../../main/engine/modelSpecWithFiles';
import { loadNativeEngine } from '../../main/engine/native/index';
import { applyPeftAdapter } from '../../main/engine/peft/applyPeftAdapter';
import { loadPeftAdapter } from '../../main/engine/peft/loadPeftAdapter';
import { logSoftmax } from '../../main/engine/sampling/sampleToken';
import { Tokenizer } from '../../main/engine/tokenizer/Tokenizer';
import { llamaCppLogprobs } from '../../main/engine/gguf/test/llamaCpp';
import { OnnxDecoder } from '../../main/engine/onnx/OnnxDecoder';

/**
 * The engine's CLI as a user runs it (`npm run build` first): tiny GPT-2 and Llama models in
 * Hugging Face layout, trained, generated from and exported through `node bin/studio.mjs`.
 * One temp folder for the file (models are shared by the tests), one STUDIO_HOME per run.
 */
const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-engine-cli-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function studio(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

const INSTRUCTIONS = [
  { prompt: 'Who keeps the data?', response: ' The curators keep it.' },
  { prompt: 'Where does training run?', response: ' On the local machine.' },
  { prompt: 'What does the heatmap show?', response: ' Which records shaped each token.' },
  { text: 'Adapters travel between machines in the same layout.' },
];
const TEXTS = [{ text: 'The curators keep the data close.' }, { text: 'Training runs on the local machine.' }, { text: 'The heatmap shows which records shaped each token.' }];
const jsonl = (records: object[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const dirs = { gpt2: path.join(root, 'gpt2'), llama: path.join(root, 'llama') };
const files = { instructions: path.join(root, 'instructions.jsonl'), texts: path.join(root, 'texts.jsonl'), eval: path.join(root, 'eval.jsonl') };

beforeAll(() => {
  buildTestModel(dirs.gpt2, { family: 'gpt2', seed: 3 });
  buildTestModel(dirs.llama, { family: 'llama', seed: 3 });
  fs.writeFileSync(files.instructions, jsonl(INSTRUCTIONS));
  fs.writeFileSync(files.texts, jsonl(TEXTS));
  fs.writeFileSync(files.eval, jsonl(INSTRUCTIONS.slice(0, 2)));
});

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('engine through the studio CLI', () => {
  it('is built, and the status bar reports the loaded engine', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build` before the tests').toBe(true);
    const status = engineStatus();
    expect(status.state).toBe('ready');
    expect(status.label).toMatch(/^Engine: CPU \((AVX-512|AVX2|scalar), \d+ threads?\)$/);
  });

  it('the API inspects a model folder and validates engine.train params', async () => {
    const core = StudioCore.open({ home: path.join(root, 'home-api'), mode: 'embedded' });
    try {
      const info = await core.request('app.info', {});
      expect(info.ok && (info.result as { engine: { state: string } }).engine.state).toBe('ready');
      const inspected = await core.request('engine.inspect', { dir: dirs.llama });
      expect(inspected).toMatchObject({ ok: true, result: { modelType: 'llama', spec: { arch: 'llama' } } });
      const missing = await core.request('engine.inspect', { dir: path.join(root, 'nowhere') });
      expect(missing).toMatchObject({ ok: false, error: { code: 'MODEL_INVALID' } });
      const bad = await core.request('jobs.start', { kind: 'engine.train', params: { model: dirs.llama, data: files.texts, out: path.join(root, 'x'), steps: 2, lr: -1 } });
      expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });
      expect(bad.ok || bad.error.message).toMatch(/params\.lr/);
    } finally {
      await core.close();
    }
  });

  it('model inspect --json describes both families', () => {
    const home = path.join(root, 'home-inspect');
    const llama = studio(home, 'model', 'inspect', dirs.llama, '--json');
    expect(llama.code, llama.stderr).toBe(0);
    expect(llama.json()).toMatchObject({ modelType: 'llama', spec: { arch: 'llama', numLayers: 2, numKvHeads: 2 }, dtype: 'F32', tokenizer: { kind: 'sentencepiece-bpe', bosToken: '<s>' } });
    const gpt2 = studio(home, 'model', 'inspect', dirs.gpt2, '--json').json();
    expect(gpt2).toMatchObject({ modelType: 'gpt2', spec: { arch: 'gpt2', vocabSize: 50257 }, shards: ['model.safetensors'], tokenizer: { kind: 'byte-level-bpe' } });
    expect(gpt2.parameterCount).toBeGreaterThan(50257 * 32);
  });

  it.each([
    ['llama', 'instructions', ['q', 'v', 'down']],
    ['gpt2', 'texts', ['c_attn', 'c_proj']],
  ] as const)('trains %s on %s records as a job, then generates with the adapter', (family, data, targets) => {
    const home = path.join(root, `home-train-${family}`);
    const out = path.join(root, `${family}-adapter`);
    const train = studio(home, 'train', '--model', dirs[family], '--data', files[data], '--eval', files.eval, '--out', out, '--rank', '4', '--alpha', '8',
      '--targets', targets.join(','), '--steps', '24', '--lr', '1e-2', '--batch', '2', '--seq', '24', '--seed', '1', '--checkpoint-every', '10', '--json');
    expect(train.code, train.stderr).toBe(0);
    const s = train.json();
    expect(s).toMatchObject({ adapter: out, steps: 24, resumedFromStep: 0, arch: family, targets });
    expect(s.losses).toHaveLength(24);
    expect(mean(s.losses.slice(-4))).toBeLessThan(mean(s.losses.slice(0, 4)) * 0.9);
    expect(s.finalLoss).toBe(s.losses[23]);
    expect(s.tokensPerSecond).toBeGreaterThan(0);
    expect(s.evalPerplexity).toBeCloseTo(Math.exp(s.evalLoss), 6);
    // engine.device defaults to 'auto': CUDA where the backend and a GPU are, else the CPU with the reason.
    const gpu = loadNativeEngine().deviceStatus();
    expect(s.device.kind).toBe(gpu.available ? 'cuda' : 'cpu');
    if (!gpu.available) expect(s.device.fallbackReason).toBe(gpu.reason);
    // Progress streamed on stderr while stdout kept the one document.
    expect(train.stderr).toMatch(/step 24\/24 loss/);
    expect(fs.readdirSync(out).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors']);
    expect(JSON.parse(fs.readFileSync(path.join(out, 'adapter_config.json'), 'utf8'))).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, fan_in_fan_out: family === 'gpt2' });
    expect(fs.readdirSync(path.join(s.runDir, 'checkpoint'))).toContain('trainer_state.json');
    const jobs = studio(home, 'jobs', 'list', '--json').json();
    expect(jobs).toMatchObject([{ kind: 'engine.train', status: 'succeeded' }]);

    const prompt = family === 'gpt2' ? 'The curators' : 'Who keeps the data?';
    const gen = studio(home, 'generate', '--model', dirs[family], '--adapter', out, '--prompt', prompt, '--max-tokens', '6', '--json');
    expect(gen.code, gen.stderr).toBe(0);
    const g = gen.json() as { text: string; tokens: { id: number; text: string; logprob: number; top: { id: number; text: string; logprob: number }[] }[] };
    expect(g.tokens.length).toBeGreaterThan(0);
    expect((gen.json() as { device: { kind: string } }).device.kind).toBe(s.device.kind);
    expect(g.tokens.map((t) => t.text).join('')).toBe(g.text);
    for (const t of g.tokens) {
      expect(Object.keys(t).sort()).toEqual(['id', 'logprob', 'text', 'top']);
      expect(t.logprob).toBeLessThanOrEqual(0);
      expect(t.top.length).toBe(5);
      for (const a of t.top) expect(Object.keys(a).sort()).toEqual(['id', 'logprob', 'text']);
      // Greedy by default: the chosen token is the most likely one.
      expect(t.top[0]!.id).toBe(t.id);
      expect(t.top[0]!.logprob).toBeCloseTo(t.logprob, 12);
    }
    // The logprobs are the engine's own distribution with the adapter applied.
    const engine = loadNativeEngine();
    const spec = modelSpecWithFiles(dirs[family]);
    const model = new engine.Model(spec);
    applyPeftAdapter(model, loadPeftAdapter(out, spec));
    const ids = [...Tokenizer.fromModelDir(dirs[family]).encode(prompt), ...g.tokens.map((t) => t.id)];
    const logits = model.forward(Int32Array.from(ids), 1, ids.length);
    const V = spec.vocabSize;
    const first = ids.length - g.tokens.length;
    g.tokens.forEach((t, i) => {
      const row = logSoftmax(logits.subarray((first + i - 1) * V, (first + i) * V));
      expect(Math.abs(row[t.id]! - t.logprob)).toBeLessThan(1e-4);
    });

    // Without --json the same text streams to stdout.
    const plain = studio(home, 'generate', '--model', dirs[family], '--adapter', out, '--prompt', prompt, '--max-tokens', '6');
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(`${g.text}\n`);
  });

  it('--mode full trains every weight on the CPU and writes a model folder that generate takes as a model', () => {
    const home = path.join(root, 'home-train-full');
    const out = path.join(root, 'gpt2-full');
    const train = studio(home, 'train', '--mode', 'full', '--gradient-checkpointing', '--model', dirs.gpt2, '--data', files.texts, '--out', out,
      '--steps', '12', '--lr', '3e-3', '--batch', '2', '--seq', '16', '--seed', '2', '--weight-decay', '0.1', '--warmup', '2', '--checkpoint-every', '5', '--json');
    expect(train.code, train.stderr).toBe(0);
    const s = train.json();
    expect(s).toMatchObject({ mode: 'full', adapter: out, steps: 12, targets: [], device: { kind: 'cpu', fallbackReason: expect.stringMatching(/CPU engine only/) } });
    expect(s.trainableParameters).toBeGreaterThan(s.loraParameters);
    expect(mean(s.losses.slice(-3))).toBeLessThan(mean(s.losses.slice(0, 3)));
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
    expect(studio(home, 'jobs', 'list', '--json').json()).toMatchObject([{ kind: 'engine.train', status: 'succeeded', title: expect.stringMatching(/^Train all weights of gpt2/) }]);
    const gen = studio(home, 'generate', '--model', out, '--prompt', 'The curators', '--max-tokens', '4', '--json');
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.json().tokens.length).toBeGreaterThan(0);
    // a bad mode is named
    const bad = studio(home, 'train', '--mode', 'half', '--model', dirs.gpt2, '--data', files.texts, '--out', path.join(root, 'never'), '--steps', '2', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json().error.message).toMatch(/--mode/);
  });

  it('exports hf, gguf and onnx with the adapter merged, and each loads again', async () => {
    const home = path.join(root, 'home-export');
    const adapter = path.join(root, 'export-adapter');
    expect(studio(home, 'train', '--model', dirs.llama, '--data', files.instructions, '--out', adapter, '--rank', '4', '--alpha', '8', '--targets', 'q,v,o,up',
      '--steps', '8', '--lr', '2e-2', '--batch', '2', '--seq', '24').code).toBe(0);
    const prompt = 'Who keeps the data?';
    const withAdapter = studio(home, 'generate', '--model', dirs.llama, '--adapter', adapter, '--prompt', prompt, '--max-tokens', '4', '--json').json();

    const hf = path.join(root, 'merged-hf');
    const e1 = studio(home, 'model', 'export', dirs.llama, '--format', 'hf', '--out', hf, '--adapter', adapter, '--json');
    expect(e1.code, e1.stderr).toBe(0);
    expect(e1.json()).toMatchObject({ format: 'hf', out: hf, dtype: 'f32', adapter });
    expect(studio(home, 'model', 'inspect', hf, '--json').json()).toMatchObject({ modelType: 'llama', dtype: 'F32' });
    // The merged folder generates what base + adapter generates.
    const merged = studio(home, 'generate', '--model', hf, '--prompt', prompt, '--max-tokens', '4', '--json').json();
    expect(merged.tokens.map((t: { id: number }) => t.id)).toEqual(withAdapter.tokens.map((t: { id: number }) => t.id));
    merged.tokens.forEach((t: { logprob: number }, i: number) => expect(Math.abs(t.logprob - withAdapter.tokens[i].logprob)).toBeLessThan(1e-4));
    expect(studio(home, 'model', 'export', dirs.llama, '--format', 'hf', '--out', path.join(root, 'merged-f16'), '--adapter', adapter, '--dtype', 'f16').code).toBe(0);
    expect(studio(home, 'model', 'inspect', path.join(root, 'merged-f16'), '--json').json().dtype).toBe('F16');

    const gguf = path.join(root, 'merged.gguf');
    expect(studio(home, 'model', 'export', dirs.llama, '--format', 'gguf', '--out', gguf, '--adapter', adapter).code).toBe(0);
    expect(fs.readFileSync(gguf).subarray(0, 4).toString('latin1')).toBe('GGUF');
    // llama.cpp loads it and gives the first generated token the logprob our engine gave it.
    const ids = Tokenizer.fromModelDir(dirs.llama).encode(prompt);
    const theirs = await llamaCppLogprobs(gguf, ids, 64);
    const firstToken = withAdapter.tokens[0];
    expect(Math.abs(theirs.at(-1)!.get(firstToken.id)! - firstToken.logprob)).toBeLessThan(1e-3);

    const onnx = path.join(root, 'merged.onnx');
    expect(studio(home, 'model', 'export', dirs.llama, '--format', 'onnx', '--out', onnx, '--adapter', adapter).code).toBe(0);
    const session = await ort.InferenceSession.create(onnx);
    const input = new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]);
    const logits = (await session.run({ input_ids: input }))['logits']!;
    const V = 512;
    const row = logSoftmax((logits.data as Float32Array).subarray((ids.length - 1) * V, ids.length * V));
    expect(Math.abs(row[firstToken.id]! - firstToken.logprob)).toBeLessThan(1e-4);

    // --kv-cache: the Optimum-layout graph, served by OnnxDecoder (prefill, then one cached step).
    const onnxKv = path.join(root, 'merged-kv.onnx');
    const e2 = studio(home, 'model', 'export', dirs.llama, '--format', 'onnx', '--out', onnxKv, '--adapter', adapter, '--kv-cache', '--json');
    expect(e2.code, e2.stderr).toBe(0);
    expect(e2.json()).toMatchObject({ format: 'onnx', kvCache: true });
    const decoder = await OnnxDecoder.create(onnxKv);
    const [last] = await decoder.prefill([ids]);
    expect(Math.abs(logSoftmax(last!)[firstToken.id]! - firstToken.logprob)).toBeLessThan(1e-4);
    const [next] = await decoder.step([firstToken.id]);
    expect(Math.abs(logSoftmax(next!)[withAdapter.tokens[1].id]! - withAdapter.tokens[1].logprob)).toBeLessThan(1e-4);
    await decoder.release();
    // An --out that is not a .onnx file becomes a model folder (transformers.js layout), with the
    // graph in onnx/model.onnx and the tokenizer beside it; bytes counts every file written.
    const folder = path.join(root, 'merged-onnx');
    const e3 = studio(home, 'model', 'export', dirs.llama, '--format', 'onnx', '--out', folder, '--adapter', adapter, '--kv-cache', '--json');
    expect(e3.code, e3.stderr).toBe(0);
    expect(e3.json()).toMatchObject({ format: 'onnx', kvCache: true, externalData: false });
    expect(fs.readdirSync(folder).sort()).toEqual(expect.arrayContaining(['config.json', 'onnx', 'tokenizer.json']));
    expect(e3.json().bytes).toBeGreaterThan(fs.statSync(path.join(folder, 'onnx', 'model.onnx')).size);
    const wrong = studio(home, 'model', 'export', dirs.llama, '--format', 'gguf', '--out', path.join(root, 'kv.gguf'), '--kv-cache', '--json');
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr + wrong.stdout).toMatch(/--kv-cache applies to --format onnx only/);

    // An existing output is replaced only with --force.
    const again = studio(home, 'model', 'export', dirs.llama, '--format', 'onnx', '--out', onnx, '--json');
    expect(again.code).toBe(1);
    expect(again.json().error.message).toMatch(/already exists.*--force/);
  });

  it('a training run killed mid-way is left interrupted and --resume finishes it exactly', async () => {
    const args = (out: string) => ['train', '--model', dirs.llama, '--data', files.instructions, '--out', out, '--rank', '4', '--alpha', '8', '--dropout', '0.1',
      '--steps', '400', '--lr', '5e-3', '--batch', '4', '--seq', '32', '--seed', '7', '--checkpoint-every', '10', '--json'];
    const straightOut = path.join(root, 'straight');
    expect(studio(path.join(root, 'home-straight'), ...args(straightOut)).code).toBe(0);

    const home = path.join(root, 'home-resume');
    const out = path.join(root, 'resumed');
    const child = spawn(process.execPath, [bin, ...args(out)], { env: { ...process.env, STUDIO_HOME: home }, stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    const runs = path.join(home, 'workspaces', 'demo', 'runs');
    // Kill once a checkpoint exists and a few steps ran past it.
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the training process ended (code ${child.exitCode}) before it could be killed mid-run`);
      const run = fs.existsSync(runs) ? fs.readdirSync(runs)[0] : undefined;
      const metrics = run ? path.join(runs, run, 'metrics.jsonl') : '';
      if (metrics && fs.existsSync(metrics) && fs.readFileSync(metrics, 'utf8').split('\n').length > 25) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(fs.existsSync(out)).toBe(false);
    const runDir = path.join(runs, fs.readdirSync(runs)[0]!);

    const resumed = studio(home, 'train', '--resume', runDir, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const s = resumed.json();
    expect(s.resumedFromStep).toBeGreaterThanOrEqual(20);
    expect(s.resumedFromStep % 10).toBe(0);
    expect(fs.readFileSync(path.join(out, 'adapter_model.safetensors'))).toEqual(fs.readFileSync(path.join(straightOut, 'adapter_model.safetensors')));
    const lines = fs.readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).step);
    expect(lines).toEqual(Array.from({ length: 400 }, (_, i) => i + 1));
    const jobs = studio(home, 'jobs', 'list', '--json').json() as { status: string; title: string; error: { message: string } | null }[];
    expect(jobs.map((j) => j.status).sort()).toEqual(['interrupted', 'succeeded']);
  });

  it('engine info --json reports the CUDA backend status; --device chooses where models run', () => {
    const home = path.join(root, 'home-device');
    const gpu = loadNativeEngine().deviceStatus();
    const info = studio(home, 'engine', 'info', '--json');
    expect(info.code, info.stderr).toBe(0);
    expect(info.json()).toMatchObject({ cuda: gpu, device: { setting: 'auto', effective: gpu.available ? 'cuda' : 'cpu' }, cpu: { backend: 'cpu' } });
    const gen = studio(home, 'generate', '--model', dirs.llama, '--prompt', 'hi', '--max-tokens', '2', '--device', 'cpu', '--json');
    expect(gen.code, gen.stderr).toBe(0);
    expect(gen.json().device).toEqual({ kind: 'cpu' });
    const bad = studio(home, 'generate', '--model', dirs.llama, '--prompt', 'hi', '--device', 'tpu', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json().error.message).toMatch(/--device:/);
    const badTrain = studio(home, 'train', '--model', dirs.llama, '--data', files.texts, '--out', path.join(root, 'never'), '--steps', '2', '--device', 'tpu', '--json');
    expect(badTrain.code).toBe(1);
    expect(badTrain.json().error.message).toMatch(/--device:/);
    if (!gpu.available) {
      const cuda = studio(home, 'generate', '--model', dirs.llama, '--prompt', 'hi', '--device', 'cuda', '--json');
      expect(cuda.code).toBe(1);
      expect(cuda.json().error).toMatchObject({ code: 'DEVICE_UNAVAILABLE' });
      expect(cuda.json().error.message).toContain(gpu.reason);
      const train = studio(home, 'train', '--model', dirs.llama, '--data', files.texts, '--out', path.join(root, 'never'), '--steps', '2', '--device', 'cuda', '--json');
      expect(train.code).toBe(1);
      expect(train.json().error.message).toContain(gpu.reason);
    }
  });

  it('bad input exits non-zero naming what is wrong', () => {
    const home = path.join(root, 'home-bad');
    const empty = path.join(root, 'empty');
    fs.mkdirSync(empty, { recursive: true });
    const noConfig = studio(home, 'model', 'inspect', empty, '--json');
    expect(noConfig.code).toBe(1);
    expect(noConfig.json().error.message).toMatch(/config\.json.*missing/);

    const bert = path.join(root, 'bert');
    fs.cpSync(dirs.llama, bert, { recursive: true });
    const cfg = JSON.parse(fs.readFileSync(path.join(bert, 'config.json'), 'utf8'));
    fs.writeFileSync(path.join(bert, 'config.json'), JSON.stringify({ ...cfg, model_type: 'bert' }));
    for (const args of [['model', 'inspect', bert], ['generate', '--model', bert, '--prompt', 'hi'], ['model', 'export', bert, '--format', 'gguf', '--out', path.join(root, 'x.gguf')]]) {
      const r = studio(home, ...args, '--json');
      expect(r.code).toBe(1);
      expect(r.json().error.message).toMatch(/unknown architecture "bert"/);
    }

    const badData = path.join(root, 'bad.jsonl');
    fs.writeFileSync(badData, '{"text": "fine"}\n{"prompt": "no response"}\n');
    const badLine = studio(home, 'train', '--model', dirs.llama, '--data', badData, '--out', path.join(root, 'never'), '--steps', '2', '--json');
    expect(badLine.code).toBe(1);
    expect(badLine.json().error.message).toMatch(/bad\.jsonl:2: a record needs/);

    const nan = studio(home, 'train', '--model', dirs.llama, '--data', files.texts, '--out', path.join(root, 'never'), '--steps', '2', '--lr', 'NaN', '--json');
    expect(nan.code).toBe(1);
    expect(nan.json().error.message).toMatch(/--lr:.*NaN/);

    const config = path.join(root, 'train.json');
    fs.writeFileSync(config, `{\n  "model": "llama",\n  "data": "texts.jsonl",\n  "out": "never",\n  "steps": "ten"\n}\n`);
    const badConfig = studio(home, 'train', '--config', config, '--json');
    expect(badConfig.code).toBe(1);
    expect(badConfig.json().error.message).toMatch(/train\.json:5: steps:/);
    expect(fs.existsSync(path.join(root, 'never'))).toBe(false);
  });

  it('train --config takes a JSON file with the flags as keys, paths relative to it', () => {
    const config = path.join(root, 'good.json');
    fs.writeFileSync(config, JSON.stringify({ model: 'gpt2', data: 'texts.jsonl', out: 'from-config', rank: 2, alpha: 4, targets: 'c_attn', steps: 3, lr: 1e-3, batch: 1, seq: 16, seed: 2 }));
    const r = studio(path.join(root, 'home-config'), 'train', '--config', config, '--steps', '4', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ adapter: path.join(root, 'from-config'), steps: 4, targets: ['c_attn'] });
  });
});
