import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ResponseAttributionSchema, type ResponseAttribution } from '../../main/api/attributionSchemas';
import { generate } from '../../main/engine/generate';
import { modelSpecWithFiles } from '../../main/engine/modelSpecWithFiles';
import { modelSpecialIds } from '../../main/engine/modelSpecialIds';
import { loadNativeEngine } from '../../main/engine/native/index';
import { nativeLogitsSource } from '../../main/engine/nativeLogitsSource';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { Tokenizer } from '../../main/engine/tokenizer/Tokenizer';
import { startStudio, stopStudio, type StudioServer } from '../support/serveProcess';

/**
 * The /v1 endpoint's opt-in `attribution` extension on a real `studio serve --model DIR`, driven
 * by the official `openai` client: a request without it is unchanged; with it the response (or the
 * last chunk before [DONE] when streaming) carries the ResponseAttribution. The tiny model's
 * weights are random, so its greedy output is planted verbatim in Alice's record beforehand.
 */
const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-openai-attr-'));
const home = path.join(root, 'home');
const model = path.join(root, 'gpt2');
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const PROMPT = 'Once upon a time';
let child: ChildProcess;
let server: StudioServer;
let client: OpenAI;
let planted = '';

const studio = (...args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  buildTestModel(model, { family: 'gpt2', seed: 3 });
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(model);
  planted = generate(nativeLogitsSource(engine, new engine.Model(spec), spec.maxPositions), Tokenizer.fromModelDir(model), PROMPT, { maxTokens: 12, temperature: 0, stopIds: modelSpecialIds(model).eos }).text;
  const data = path.join(root, 'tales.jsonl');
  fs.writeFileSync(
    data,
    [
      { id: 'alice-1', text: `Heard at sea:${planted}`, who: ALICE },
      { id: 'bob-1', text: 'The lighthouse keeper painted the stairs green every spring.', who: BOB },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n') + '\n',
  );
  studio('datanet', 'create', 'tales');
  studio('datanet', 'import', 'tales', '--file', data, '--id-field', 'id', '--contributor-field', 'who');
  studio('datanet', 'review', 'tales', '--filter', 'all', '--action', 'accept');
  studio('datanet', 'version', 'tales');
  const started = await startStudio({ home, args: ['--model', model] });
  child = started.child;
  server = started.server;
  client = new OpenAI({ baseURL: `${server.origin}/v1`, apiKey: server.token, maxRetries: 0 });
}, 300_000);

afterAll(async () => {
  if (child) await stopStudio(child, home);
  fs.rmSync(root, { recursive: true, force: true });
});

// The extension field is not in the client's types: sent as an extra body field.
const withAttribution = <T extends object>(body: T, attribution: unknown) => ({ ...body, attribution }) as T;

describe('/v1 attribution extension', { timeout: 120_000 }, () => {
  it('leaves a request without it unchanged', async () => {
    const r = await client.completions.create({ model: 'base', prompt: PROMPT, max_tokens: 12, temperature: 0 });
    expect(r.choices[0]!.text).toBe(planted);
    expect('attribution' in r).toBe(false);
  });

  it('adds the ResponseAttribution to a non-streamed completion', async () => {
    const r = await client.completions.create(withAttribution({ model: 'base', prompt: PROMPT, max_tokens: 12, temperature: 0 }, { datanet: 'tales@1' }));
    expect(r.choices[0]!.text).toBe(planted);
    const a = ResponseAttributionSchema.parse((r as unknown as { attribution: unknown }).attribution);
    expect(a).toMatchObject({ model: 'base', adapter: null, datanet: { name: 'tales', version: 1 }, datanetFrom: 'argument', inference: null });
    expect(a.contributors[0]).toEqual({ address: ALICE, share: 1 });
    expect(a.spans[0]!.records).toEqual([{ record: 'alice-1', contributor: ALICE }]);
    expect(a.tokens.map((t) => t.text).join('')).toBe(planted);
  });

  it('sends it as the last chunk before [DONE] when streaming', async () => {
    const stream = await client.completions.create(withAttribution({ model: 'base', prompt: PROMPT, max_tokens: 12, temperature: 0, stream: true as const }, { datanet: 'tales@1' }));
    const chunks: unknown[] = [];
    for await (const c of stream) chunks.push(c);
    const last = chunks.at(-1) as { choices: unknown[]; attribution: ResponseAttribution };
    expect(last.choices).toEqual([]);
    expect(ResponseAttributionSchema.parse(last.attribution).contributors[0]!.address).toBe(ALICE);
    const text = chunks.slice(0, -1).map((c) => (c as { choices: { text: string }[] }).choices[0]!.text).join('');
    expect(text).toBe(planted);
    expect(chunks.slice(0, -1).every((c) => !('attribution' in (c as object)))).toBe(true);
  });

  it('says in OpenAI’s shape why it cannot attribute', async () => {
    await expect(client.completions.create(withAttribution({ model: 'base', prompt: PROMPT, max_tokens: 4 }, true))).rejects.toMatchObject({
      status: 400,
      code: 'attribution_unavailable',
      message: expect.stringMatching(/no datanet lineage/),
    });
    await expect(client.completions.create(withAttribution({ model: 'base', prompt: PROMPT, max_tokens: 4 }, { datanet: 'tales' }))).rejects.toMatchObject({ status: 400, param: 'attribution.datanet' });
    await expect(client.completions.create(withAttribution({ model: 'base', prompt: PROMPT, max_tokens: 4, n: 2 }, true))).rejects.toMatchObject({ status: 400, param: 'n' });
  });
});
