import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../main/engine/generate';
import { readModelConfig } from '../../main/engine/modelConfig';
import { modelSpecWithFiles } from '../../main/engine/modelSpecWithFiles';
import { modelSpecialIds } from '../../main/engine/modelSpecialIds';
import { loadNativeEngine } from '../../main/engine/native/index';
import { nativeLogitsSource } from '../../main/engine/nativeLogitsSource';
import { applyPeftAdapter } from '../../main/engine/peft/applyPeftAdapter';
import { createLoraAdapter } from '../../main/engine/peft/createLoraAdapter';
import { loadPeftAdapter } from '../../main/engine/peft/loadPeftAdapter';
import { savePeftAdapter } from '../../main/engine/peft/savePeftAdapter';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { Tokenizer } from '../../main/engine/tokenizer/Tokenizer';
import { startStudio, stopStudio, type StudioServer } from '../support/serveProcess';

/**
 * The OpenAI-compatible endpoint of a real `studio serve --model DIR` process, driven by the
 * official `openai` client as an application would: adapters registered beforehand through the
 * CLI, chat and completions, streaming, logprobs, errors in OpenAI's shape, a client that hangs up.
 */
const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-openai-'));
const home = path.join(root, 'home');
const model = path.join(root, 'llama');
let child: ChildProcess;
let server: StudioServer;
let client: OpenAI;

const studio = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8' });

beforeAll(async () => {
  buildTestModel(model, { family: 'llama', seed: 6 });
  const spec = readModelConfig(model);
  savePeftAdapter(path.join(root, 'alpha'), createLoraAdapter(spec, { r: 4, alpha: 8, targets: ['q_proj', 'v_proj'], seed: 1, randomB: true, baseModelNameOrPath: model }));
  savePeftAdapter(path.join(root, 'beta'), createLoraAdapter(spec, { r: 8, alpha: 8, targets: ['o_proj', 'up_proj'], seed: 2, randomB: true, baseModelNameOrPath: model }));
  savePeftAdapter(path.join(root, 'gamma'), createLoraAdapter(spec, { r: 2, alpha: 4, targets: ['k_proj'], seed: 3, randomB: true, baseModelNameOrPath: model }));
  for (const name of ['alpha', 'beta', 'gamma']) expect(studio('adapters', 'import', path.join(root, name)).status).toBe(0);
  // gamma's stored weights go bad after registration (disk damage): requests for it must fail clearly.
  const gamma = JSON.parse(studio('adapters', 'show', 'gamma', '--json').stdout) as { weightsSha256: string };
  const stored = (JSON.parse(studio('workspace', 'info', '--json').stdout) as { path: string }).path;
  const file = path.join(stored, 'artifacts', 'sha256', gamma.weightsSha256.slice(0, 2), gamma.weightsSha256);
  fs.chmodSync(file, 0o644);
  fs.truncateSync(file, 40);

  const started = await startStudio({ home, args: ['--model', model] });
  child = started.child;
  server = started.server;
  client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: server.token, maxRetries: 0 });
}, 120_000);

afterAll(async () => {
  if (child) await stopStudio(child, home);
  fs.rmSync(root, { recursive: true, force: true });
});

/** The plain reference: the adapter applied to a fresh model, one request alone. */
function reference(adapter: string | null, prompt: string, maxTokens: number, topAlternatives = 0) {
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(model);
  const m = new engine.Model(spec);
  if (adapter) applyPeftAdapter(m, loadPeftAdapter(path.join(root, adapter), spec));
  return generate(nativeLogitsSource(engine, m, spec.maxPositions), Tokenizer.fromModelDir(model), prompt, { maxTokens, topAlternatives, stopIds: modelSpecialIds(model).eos });
}

describe('/v1 with the openai client', () => {
  it('lists the base and every registered adapter', async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(['alpha', 'base', 'beta', 'gamma']);
    // The CLI's listing reads without the workspace lock, so it answers while serve holds it.
    const listed = studio('adapters', 'list', '--json');
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((a) => a.name).sort()).toEqual(['alpha', 'beta', 'gamma']);
  });

  it('completions from an adapter equal the reference, with logprobs in the legacy shape', async () => {
    const prompt = 'The curators keep';
    const r = await client.completions.create({ model: 'beta', prompt, max_tokens: 6, temperature: 0, logprobs: 3 });
    const want = reference('beta', prompt, 6, 3);
    expect(r.choices[0]!.text).toBe(want.text);
    expect(r.choices[0]!.logprobs!.token_logprobs!.length).toBe(want.tokens.length);
    r.choices[0]!.logprobs!.token_logprobs!.forEach((lp, i) => expect(Math.abs(lp - want.tokens[i]!.logprob)).toBeLessThan(1e-5));
    // Keyed by token text, as OpenAI's legacy shape is: alternatives that decode alike share a key.
    expect(Object.keys(r.choices[0]!.logprobs!.top_logprobs![0]!).sort()).toEqual([...new Set(want.tokens[0]!.top.map((t) => t.text))].sort());
    expect(r.usage).toMatchObject({ completion_tokens: want.tokens.length, prompt_tokens: Tokenizer.fromModelDir(model).encode(prompt).length });
    // The base differs from the adapter.
    const base = await client.completions.create({ model: 'base', prompt, max_tokens: 6, temperature: 0 });
    expect(base.choices[0]!.text).toBe(reference(null, prompt, 6).text);
  });

  it('streams a chat completion from a named adapter; the stream adds up to the non-streamed answer', async () => {
    const messages = [{ role: 'user' as const, content: 'Who keeps the data?' }];
    const whole = await client.chat.completions.create({ model: 'alpha', messages, max_tokens: 10, temperature: 0, logprobs: true, top_logprobs: 2 });
    const content = whole.choices[0]!.message.content!;
    expect(whole.choices[0]!.logprobs!.content!.length).toBe(whole.usage!.completion_tokens);
    expect(whole.choices[0]!.logprobs!.content![0]!.top_logprobs).toHaveLength(2);

    const stream = await client.chat.completions.create({ model: 'alpha', messages, max_tokens: 10, temperature: 0, stream: true, logprobs: true, top_logprobs: 2, stream_options: { include_usage: true } });
    let streamed = '';
    let finish: string | null = null;
    let chunks = 0;
    let usage = null;
    for await (const chunk of stream) {
      chunks++;
      if (chunk.usage) usage = chunk.usage;
      const c = chunk.choices[0];
      if (!c) continue;
      streamed += c.delta.content ?? '';
      if (c.finish_reason) finish = c.finish_reason;
    }
    expect(streamed).toBe(content);
    expect(finish).toBe(whole.choices[0]!.finish_reason);
    expect(chunks).toBeGreaterThan(3);
    expect(usage).toMatchObject({ completion_tokens: whole.usage!.completion_tokens });
  });

  it('n, seed, stop and top_p behave as OpenAI documents', async () => {
    const req = { model: 'alpha', prompt: 'Adapters travel', max_tokens: 8, temperature: 1.5, top_p: 0.95, n: 3, seed: 42 };
    const a = await client.completions.create(req);
    const b = await client.completions.create(req);
    expect(a.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(a.choices.map((c) => c.text)).toEqual(b.choices.map((c) => c.text));
    const full = reference('alpha', 'Training runs', 8).text;
    const cut = full.slice(3, 6);
    const stopped = await client.completions.create({ model: 'alpha', prompt: 'Training runs', max_tokens: 8, temperature: 0, stop: [cut] });
    expect(stopped.choices[0]!.text).toBe(full.slice(0, full.indexOf(cut)));
    expect(stopped.choices[0]!.finish_reason).toBe('stop');
  });

  it('answers bad requests with OpenAI errors and keeps serving', async () => {
    const unknown = await client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect((unknown as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
    expect((unknown as Error).message).toMatch(/The model `nope` does not exist/);

    const long = 'data '.repeat(400);
    const over = await client.completions.create({ model: 'base', prompt: long, max_tokens: 4 }).catch((e: unknown) => e);
    expect(over).toBeInstanceOf(OpenAI.BadRequestError);
    expect((over as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_length_exceeded');

    const corrupt = await client.completions.create({ model: 'gamma', prompt: 'x y', max_tokens: 2 }).catch((e: unknown) => e);
    expect(corrupt).toBeInstanceOf(OpenAI.BadRequestError);
    expect((corrupt as Error).message).toMatch(/Adapter "gamma" cannot be loaded: .*header length \d+ runs past the end of the 40-byte file/);

    const badKey = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: 'wrong', maxRetries: 0 });
    expect(await badKey.models.list().catch((e: unknown) => e)).toBeInstanceOf(OpenAI.AuthenticationError);
    const badParam = await client.completions.create({ model: 'base', prompt: 'x', temperature: 7 }).catch((e: unknown) => e);
    expect((badParam as Error).message).toMatch(/temperature/);

    const ok = await client.completions.create({ model: 'alpha', prompt: 'Who keeps', max_tokens: 3, temperature: 0 });
    expect(ok.choices[0]!.text).toBe(reference('alpha', 'Who keeps', 3).text);
  });

  it('a client hanging up mid-stream frees its row; many concurrent requests are all served', async () => {
    const status = async () => (await (await fetch(`${server.origin}/v1/studio/status`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as { active: number; pending: number; cancelled: number };
    const controller = new AbortController();
    const stream = await client.completions.create({ model: 'beta', prompt: 'Tell me more', max_tokens: 100, temperature: 0, stream: true }, { signal: controller.signal });
    let seen = 0;
    let finished = false;
    await (async () => {
      for await (const chunk of stream) {
        finished ||= chunk.choices[0]?.finish_reason != null;
        if (++seen === 3) controller.abort();
      }
    })().catch(() => undefined);
    expect(finished, 'the stream was cut before it finished').toBe(false);
    // The server notices the closed socket and drops the row at its next step.
    let s = await status();
    for (let i = 0; i < 200 && s.active + s.pending > 0; i++) {
      await new Promise((r) => setTimeout(r, 10));
      s = await status();
    }
    expect(s).toMatchObject({ active: 0, pending: 0, cancelled: 1 });

    const prompts = ['The curators keep', 'Who keeps', 'Adapters travel', 'Training runs'];
    const models = ['alpha', 'beta', 'base'];
    const jobs = Array.from({ length: 24 }, (_, i) => ({ model: models[i % 3]!, prompt: prompts[i % 4]! }));
    const results = await Promise.all(jobs.map((j) => client.completions.create({ ...j, max_tokens: 5, temperature: 0 })));
    results.forEach((r, i) => expect(r.choices[0]!.text).toBe(reference(jobs[i]!.model === 'base' ? null : jobs[i]!.model, jobs[i]!.prompt, 5).text));
  });
});
