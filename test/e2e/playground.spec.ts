import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { expect, openStudio, snap, startStudio, stopStudio, test, type StudioServer } from './studioFixture';

/**
 * The playground in Chromium against a real `studio serve --model DIR`: a small Llama-family model
 * and two adapters trained on it through `studio train` (registered by the training job), then one
 * prompt on both adapters and the base side by side, streamed from /v1, coloured by probability.
 */
let home: string;
let model: string;
let child: ChildProcess;
let server: StudioServer;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-playground-'));
  model = path.join(home, 'models', 'tiny-llama');
  buildTestModel(model, { family: 'llama', seed: 4 });
  const data = path.join(home, 'data.jsonl');
  fs.writeFileSync(data, ['{"prompt":"Who keeps the data?","response":" The curators keep it."}', '{"text":"Adapters travel between machines."}'].join('\n') + '\n');
  for (const [name, seed] of [['support-a', '1'], ['support-b', '2']] as const) {
    const r = spawnSync(process.execPath, ['bin/studio.mjs', 'train', '--model', model, '--data', data, '--out', path.join(home, name), '--rank', '4', '--steps', '6', '--lr', '5e-2', '--batch', '2', '--seq', '16', '--seed', seed], {
      env: { ...process.env, STUDIO_HOME: home },
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
  }
  ({ child, server } = await startStudio({ home, args: ['--model', model] }));
});

test.afterAll(async () => {
  if (child) await stopStudio(child, home);
});

test('picks two adapters and the base, runs one prompt on all three side by side, streams, and colours tokens by probability', async ({ page, errors }) => {
  await openStudio(page, server);
  await page.keyboard.press('Control+Shift+4');
  await page.getByTestId('playground-open').click();
  await expect(page.getByTestId('playground-base-url')).toHaveText(`${server.origin}/v1`);
  await expect(page.getByTestId('playground-key')).toHaveText(server.token);

  // Search narrows the picker; pick both adapters (the base is selected already).
  await page.getByTestId('playground-search').fill('support-b');
  await expect(page.getByTestId('playground-model-support-a')).toHaveCount(0);
  await page.getByTestId('playground-model-support-b').check();
  await page.getByTestId('playground-search').fill('');
  await page.getByTestId('playground-model-support-a').check();
  await expect(page.getByTestId('playground-model-base')).toBeChecked();

  // The responses arrive as server-sent events.
  const streamed = page.waitForResponse((r) => r.url().endsWith('/v1/completions') && (r.headers()['content-type'] ?? '').startsWith('text/event-stream'));
  await page.getByTestId('playground-run').click();
  await streamed;
  const models = ['base', 'support-b', 'support-a'];
  for (const m of models) await expect(page.getByTestId(`playground-column-${m}`)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

  // Each column holds what the endpoint answers for that model alone (greedy, same prompt).
  const texts: string[] = [];
  for (const m of models) {
    const res = await page.request.post(`${server.origin}/v1/completions`, {
      headers: { authorization: `Bearer ${server.token}` },
      data: { model: m, prompt: 'The curators keep', max_tokens: 24, temperature: 0, top_p: 1, seed: 0 },
    });
    const want = ((await res.json()) as { choices: { text: string }[] }).choices[0]!.text;
    const column = page.getByTestId(`playground-column-${m}`).locator('.playground__output');
    await expect(column).toHaveText(want);
    texts.push(want);
  }
  // The trained adapters changed what the model says.
  expect(new Set(texts).size).toBeGreaterThan(1);

  // Colour by probability: every token gets a background; hovering shows the alternatives.
  const first = page.getByTestId('playground-column-support-a').locator('.pg-token').first();
  await expect(first).not.toHaveAttribute('style', /background/);
  await page.getByTestId('playground-colour').check();
  // hsla() as written, rgba() as Chromium reports it back.
  await expect(first).toHaveAttribute('style', /background: (hsla|rgba)\(/);
  await expect(first).toHaveAttribute('title', /%\n.+%/);
  await expect(page.getByTestId('playground-curl')).toContainText(`${server.origin}/v1/completions`);
  await expect(page.getByTestId('playground-openai')).toContainText(`baseURL: '${server.origin}/v1'`);
  await page.locator('.playground__code summary').click();
  await snap(page, 'playground-side-by-side');
  expect(errors).toEqual([]);
});

test('chat mode against a remote OpenAI-compatible endpoint (this serve\'s own /v1) beside the local adapter; bad fields refused', async ({ page, errors }) => {
  await openStudio(page, server);
  await page.keyboard.press('Control+Shift+4');
  await page.getByTestId('playground-open').click();
  // Adapters not registered in the ModelRegistry are marked so, plainly.
  await expect(page.getByTestId('playground-verified-support-a')).toHaveAttribute('data-status', 'unpublished');
  await expect(page.getByTestId('playground-verified-support-a')).toHaveText(/not published/);

  await page.getByTestId('playground-mode').selectOption('chat');
  // Validated before anything is sent.
  await page.getByTestId('playground-remote-url').fill('not a url');
  await page.getByTestId('playground-remote-model').fill('support-a');
  await page.getByTestId('playground-remote-add').click();
  await expect(page.getByTestId('playground-remote-error')).toHaveText(/"not a url" is not a URL/);
  await expect(page.getByTestId('playground-model-remote:support-a')).toHaveCount(0);

  await page.getByTestId('playground-remote-url').fill(`${server.origin}/v1`);
  await page.getByTestId('playground-remote-key').fill(server.token);
  await page.getByTestId('playground-remote-add').click();
  await expect(page.getByTestId('playground-remote-error')).toHaveCount(0);
  await expect(page.getByTestId('playground-model-remote:support-a')).toBeChecked();
  await page.getByTestId('playground-model-base').uncheck();
  await page.getByTestId('playground-model-support-a').check();

  const remoteStream = page.waitForResponse((r) => r.url().endsWith('/v1/studio/remote/chat/completions') && (r.headers()['content-type'] ?? '').startsWith('text/event-stream'));
  const localStream = page.waitForResponse((r) => r.url().endsWith('/v1/chat/completions') && !r.url().includes('/remote/'));
  await page.getByTestId('playground-run').click();
  await remoteStream;
  await localStream;
  for (const m of ['remote:support-a', 'support-a']) await expect(page.getByTestId(`playground-column-${m}`)).toHaveAttribute('data-status', 'done', { timeout: 30_000 });

  // The chat template's answer, as the endpoint gives it to any client; both columns show it.
  const res = await page.request.post(`${server.origin}/v1/chat/completions`, {
    headers: { authorization: `Bearer ${server.token}` },
    data: { model: 'support-a', messages: [{ role: 'user', content: 'The curators keep' }], max_tokens: 24, temperature: 0, top_p: 1, seed: 0 },
  });
  const want = ((await res.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content;
  expect(want.length).toBeGreaterThan(0);
  await expect(page.getByTestId('playground-column-remote:support-a').locator('.playground__output')).toHaveText(want);
  await expect(page.getByTestId('playground-column-support-a').locator('.playground__output')).toHaveText(want);
  // The remote column's tokens carry their probabilities too (chat logprobs).
  await expect(page.getByTestId('playground-column-remote:support-a').locator('.pg-token').first()).toHaveAttribute('title', /%\n.+%/);
  await expect(page.getByTestId('playground-curl')).toContainText(`${server.origin}/v1/chat/completions`);
  await snap(page, 'playground-chat-remote');
  expect(errors).toEqual([]);
});
