import { type ChildProcess, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, startStudio, stopStudio, test, type StudioServer } from './studioFixture';

/**
 * The Factory in Chromium against a real `studio serve` (its devnet included), on what a user
 * starts with: the built-in default model and the demo datanet (state-of-the-union, built here by
 * `studio datanet demo`, ~5 CPU seconds). A pipeline built in the graph, its errors shown on the
 * nodes they belong to and fixed in the inspector and in Monaco; two short runs (12 steps of 2 x 32
 * tokens) whose loss charts fill while they train, compared; the best adapter kept and published to
 * the ModelRegistry, its lineage decoded in the explorer.
 */
let home: string;
let child: ChildProcess;
let server: StudioServer;

function studio(...args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['bin/studio.mjs', ...args, '--json'], {
    env: { ...process.env, STUDIO_HOME: home },
    encoding: 'utf8',
  });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

let demoRoot: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-factory-'));
  demoRoot = String(studio('datanet', 'demo').merkleRoot);
  expect(demoRoot).toMatch(/^0x[0-9a-f]{64}$/);
  ({ child, server } = await startStudio({ home }));
});

test.afterAll(async () => {
  if (child) await stopStudio(child, home);
});

/** Every value a chart's data-points attribute takes, recorded in the page (window.seenPoints) as it changes. */
async function recordPoints(page: Page, testId: string): Promise<void> {
  // A script string: this file is compiled without the DOM's types.
  await page.evaluate(`(() => {
    const seen = (window.seenPoints = []);
    const el = document.querySelector('[data-testid="${testId}"]');
    const push = () => {
      const n = Number(el.getAttribute('data-points'));
      if (seen[seen.length - 1] !== n) seen.push(n);
    };
    push();
    new MutationObserver(push).observe(el, { attributes: true, attributeFilter: ['data-points'] });
  })()`);
}

const node = (page: Page, id: string) => page.getByTestId(`pipeline-node-${id}`);

/** Replaces the end of one line of the YAML in Monaco by typing, as a user would. */
async function editYamlLine(page: Page, find: string, erase: number, typed: string): Promise<void> {
  const line = page.getByTestId('pipeline-yaml').locator('.view-line', { hasText: find });
  await line.click();
  await page.keyboard.press('End');
  for (let i = 0; i < erase; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(typed);
}

test('builds a pipeline in the graph on the default model and the demo datanet, fixes errors shown on its nodes, runs it twice, compares, keeps the best adapter and publishes it with its lineage', async ({ page, errors }) => {
  test.setTimeout(600_000);
  await openStudio(page, server);
  // The editor gets the window's height (the jobs panel would take a third of it).
  await page.getByRole('button', { name: 'Hide Panel' }).click();
  await page.keyboard.press('Control+Shift+3');
  await page.getByTestId('factory-new-pipeline').click();
  await expect(page.getByTestId('pipeline-editor')).toBeVisible();
  const yaml = page.getByTestId('pipeline-yaml');
  await expect(yaml.locator('.view-lines')).toContainText('pipeline: 1');

  // The template names a datanet this workspace lacks: the core says so, on the datanet node.
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'invalid');
  await expect(node(page, 'datanet')).toHaveAttribute('data-invalid', 'true');
  await expect(node(page, 'datanet').getByTestId('pipeline-node-error-datanet')).toContainText('my-datanet');
  await expect(node(page, 'lora')).toHaveAttribute('data-invalid', 'false');
  // The template trains the built-in default model.
  await expect(node(page, 'model')).toContainText('default');

  // Fixed in the inspector: the YAML and the node follow.
  await node(page, 'datanet').click();
  await page.getByTestId('pipeline-field-datanet-name').fill('state-of-the-union');
  await expect(yaml.locator('.view-lines')).toContainText('name: state-of-the-union');
  await expect(node(page, 'datanet')).toHaveAttribute('data-invalid', 'false');
  await expect(node(page, 'datanet')).toContainText('state-of-the-union @ latest');

  // A short run: 12 steps of 2 x 32 tokens; 1% of the 3,174 passages held out keeps eval quick.
  await node(page, 'split').click();
  await page.getByTestId('pipeline-field-split-evalFraction').fill('0.01');
  await node(page, 'train').click();
  await page.getByTestId('pipeline-field-train-steps').fill('12');
  await page.getByTestId('pipeline-field-train-seq').fill('32');
  await page.getByTestId('pipeline-field-train-batch').fill('2');
  await page.getByTestId('pipeline-field-train-lr').fill('0.01');
  await page.getByTestId('pipeline-field-train-evalEvery').fill('6');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');

  // An error typed in Monaco: marked there and on the LoRA node, with the field's message.
  await editYamlLine(page, 'rank: 8', 1, '0');
  await expect(node(page, 'lora')).toHaveAttribute('data-invalid', 'true');
  await expect(node(page, 'lora').getByTestId('pipeline-node-error-lora')).toContainText('rank');
  await expect(yaml).toHaveAttribute('data-markers', '1');
  await expect(yaml.locator('.squiggly-error')).toHaveCount(1);
  await expect(page.getByTestId('pipeline-start')).toBeDisabled();
  await snap(page, 'factory-editor-error');

  // ... and fixed in the inspector.
  await node(page, 'lora').click();
  await page.getByTestId('pipeline-field-lora-rank').fill('4');
  await expect(yaml.locator('.view-lines')).toContainText('rank: 4');
  await expect(node(page, 'lora')).toHaveAttribute('data-invalid', 'false');
  await expect(node(page, 'lora')).toContainText('r4');
  await expect(yaml).toHaveAttribute('data-markers', '0');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');
  await expect(page.getByTestId('pipeline-start')).toBeEnabled();

  // Monaco completes a section's keys from the core's JSON Schema (factory.schema).
  await yaml.locator('.view-line', { hasText: 'evalEvery: 6' }).click();
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('warm');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.suggest-widget')).toContainText('warmup');
  await page.keyboard.press('Enter');
  await page.keyboard.type('2');
  await expect(yaml.locator('.view-lines')).toContainText('warmup: 2');
  await node(page, 'train').click();
  await expect(page.getByTestId('pipeline-field-train-warmup')).toHaveValue('2');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');

  // A format the datanet's schema cannot feed: the error is on the format node; back to text.
  await node(page, 'format').click();
  await page.getByTestId('pipeline-field-format-kind').selectOption('instruction');
  await expect(node(page, 'format')).toHaveAttribute('data-invalid', 'true');
  await expect(node(page, 'format').getByTestId('pipeline-node-error-format')).toContainText('text records');
  await page.getByTestId('pipeline-field-format-kind').selectOption('text');
  await expect(node(page, 'format')).toHaveAttribute('data-invalid', 'false');

  // The format node previews records as the run trains them: tokenized by the default model's
  // tokenizer, one row of seq + 1 = 33 tokens, the first only an input (masked), the rest in the
  // loss (plain text: no prompt to mask), the passage's remainder cut.
  const preview = page.getByTestId('format-preview');
  await expect(preview).toHaveAttribute('data-state', 'ready');
  const first = preview.locator('.fx-format-preview__record').first();
  await expect(first.getByTestId('format-preview-counts')).toContainText(/^33 tokens · 32 in the loss · \d+ past seq 32 cut$/);
  await expect(first.locator('.fx-tok--masked')).toHaveCount(1);
  await expect(first.locator('.fx-tok--trained')).toHaveCount(32);

  // A prompt for the samples at each evaluation, in the evaluate node.
  await node(page, 'evaluate').click();
  await page.getByTestId('pipeline-field-evaluate-prompts').fill('My fellow Americans');
  await page.getByTestId('pipeline-field-evaluate-maxTokens').fill('8');
  await expect(yaml.locator('.view-lines')).toContainText('prompts: [My fellow Americans]');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');
  await node(page, 'format').click();
  await expect(preview).toHaveAttribute('data-state', 'ready');
  await snap(page, 'factory-editor');

  // Saved as a named file in the workspace: the tab takes its name, the side bar lists it.
  await page.getByTestId('pipeline-file-name').fill('sotu-e2e');
  await page.getByTestId('pipeline-save').click();
  const saved = page.getByTestId('pipeline-file-path');
  await expect(saved).toHaveAttribute('data-dirty', 'false');
  const file = (await saved.getAttribute('data-path'))!;
  expect(file).toBe(path.join(home, 'workspaces', 'demo', 'pipelines', 'sotu-e2e.pipeline.yaml'));
  await expect(page.getByRole('tab', { name: /sotu-e2e\.pipeline\.yaml/ })).toBeVisible();
  await expect(page.getByTestId('pipeline-file-sotu-e2e')).toBeVisible();
  expect(fs.readFileSync(file, 'utf8')).toContain('name: state-of-the-union');

  // Run it: the run page opens and its loss chart fills from the factory.metrics stream while it
  // trains: the chart's point count is recorded at every change and must pass through values
  // between the first step and the last (points arrive in batches, not at the end).
  await page.getByTestId('pipeline-start').click();
  const runPage = page.getByTestId('run-page');
  // (factory.start writes the split's 3,174 records into the run folder before it answers.)
  await expect(runPage).toBeVisible({ timeout: 60_000 });
  const lossChart = page.getByTestId('run-chart-loss');
  await expect(lossChart).toHaveAttribute('data-points', /\d+/);
  await recordPoints(page, 'run-chart-loss');
  await expect.poll(async () => Number(await lossChart.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(runPage).toHaveAttribute('data-status', 'running');
  await snap(page, 'factory-run-live');
  await expect(runPage).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect.poll(async () => Number(await lossChart.getAttribute('data-points'))).toBe(12);
  const seen = (await page.evaluate('window.seenPoints')) as number[];
  expect(seen.some((n) => n > 0 && n < 12), `point counts seen: ${seen.join(', ')}`).toBe(true);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  // Evaluations every 6 steps: eval loss and the prompt's sample at 6 and 12.
  await expect(page.getByTestId('run-checkpoints').locator('tbody tr')).toHaveCount(2);
  await expect(page.getByTestId('run-samples').locator('.fx-samples__step')).toHaveCount(2);
  await expect(page.getByTestId('run-samples')).toContainText('My fellow Americans');
  await expect(page.getByTestId('run-open-adapter')).toContainText('my-adapter');
  await snap(page, 'factory-run');

  // Closed, opened again from the side bar: the same text. A second run with another learning
  // rate, saved over the file first.
  const pipelineTab = page.getByRole('tab', { name: /sotu-e2e\.pipeline\.yaml/ });
  // (A tab's children are presentational to ARIA: its close button, shown on the active tab, is found by class.)
  await pipelineTab.click();
  await pipelineTab.locator('.tab__close').click();
  await expect(pipelineTab).toHaveCount(0);
  await page.getByTestId('pipeline-file-sotu-e2e').click();
  await expect(yaml.locator('.view-lines')).toContainText('lr: 0.01');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');
  await node(page, 'train').click();
  await page.getByTestId('pipeline-field-train-lr').fill('0.002');
  await expect(saved).toHaveAttribute('data-dirty', 'true');
  await page.getByTestId('pipeline-save').click();
  await expect(saved).toHaveAttribute('data-dirty', 'false');
  expect(fs.readFileSync(file, 'utf8')).toContain('lr: 0.002');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');
  await page.getByTestId('pipeline-start').click();
  await expect(page.getByTestId('run-page')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  const secondRun = (await callStudio(server, 'runs.list', {}))[0]!;

  // Compare the two: both loss curves overlaid; the learning rate is the one difference; both
  // runs' samples side by side.
  const items = page.getByTestId('runs-list').locator('li');
  await expect(items).toHaveCount(2);
  await items.nth(0).locator('input[type=checkbox]').check();
  await items.nth(1).locator('input[type=checkbox]').check();
  await page.getByTestId('runs-compare').click();
  const compare = page.getByTestId('compare-page');
  await expect(compare.getByTestId('compare-chart-loss')).toHaveAttribute('data-series', '2');
  await expect(compare.getByTestId('compare-chart-loss')).toHaveAttribute('data-points', '12');
  await expect(compare.getByTestId('compare-settings').locator('tbody tr')).toHaveCount(1);
  await expect(compare.getByTestId('compare-settings')).toContainText('train.lr');
  await expect(compare.getByTestId('compare-settings')).toContainText('0.002');
  await expect(compare.getByTestId('compare-samples').locator('tbody tr')).toHaveCount(1);
  await expect(compare.getByTestId('compare-figures').locator('tr[data-best="true"]')).toHaveCount(1);
  await snap(page, 'factory-compare');

  // Keep the best run's adapter (the other leaves the registry); its page shows its lineage.
  const bestRow = compare.getByTestId('compare-figures').locator('tr[data-best="true"]');
  const bestAdapter = (await bestRow.locator('td').nth(6).textContent())!.trim();
  await bestRow.getByRole('button', { name: 'Keep' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Keep and remove 1' }).click();
  const adapterPage = page.getByTestId('adapter-page');
  await expect(adapterPage).toHaveAttribute('data-adapter', bestAdapter);
  const lineage = adapterPage.getByTestId('adapter-lineage');
  await expect(lineage).toContainText('default-model');
  await expect(lineage).toContainText('model.safetensors');
  await expect(adapterPage.getByTestId('adapter-datanet')).toContainText(`state-of-the-union v1 · root ${demoRoot}`);
  const listed = await callStudio(server, 'adapters.list', {});
  expect(listed.map((a) => a.name)).toEqual([bestAdapter]);
  const configHash = (await lineage.locator('tr', { hasText: 'Config hash' }).locator('td').textContent())!.trim();
  expect(configHash).toMatch(/^[0-9a-f]{64}$/);
  const baseDigest = (await lineage.locator('tr', { hasText: 'Base digest' }).locator('td').textContent())!.trim().replace(/^0x/, '');
  expect(baseDigest).toMatch(/^[0-9a-f]{64}$/);

  // Publish: the adapter is registered in the ModelRegistry with its lineage (the datanet version
  // and the base model go first); its page shows the on-chain record.
  await adapterPage.getByTestId('adapter-publish').click();
  await expect(adapterPage.getByTestId('adapter-published')).toBeVisible({ timeout: 60_000 });
  const record = adapterPage.getByTestId('adapter-chain-record');
  await expect(record).toContainText('confirmed');
  // The registry entry as the chain holds it, its lineage resolved, and the files on disk match it.
  const verification = adapterPage.getByTestId('adapter-verification');
  await expect(verification).toHaveAttribute('data-status', 'verified', { timeout: 30_000 });
  await expect(verification.getByTestId('adapter-match')).toContainText('matches chain');
  const entry = verification.getByTestId('adapter-registry-entry');
  await expect(entry).toContainText(configHash);
  await expect(entry).toContainText(baseDigest);
  await expect(entry).toContainText(`root ${demoRoot}`);
  await snap(page, 'factory-adapter');

  // The explorer decodes the registration: AdapterRegistered with the run's training-config hash
  // and the datanet version it names. (It shortens 32-byte values to their ends.)
  const short = (h: string) => `0x${h.slice(0, 8)}…${h.slice(-8)}`;
  await record.getByTestId('adapter-tx').locator('button').click();
  const events = page.getByTestId('chain-transaction').getByTestId('tx-events');
  await expect(events).toContainText('AdapterRegistered');
  await expect(events).toContainText(`trainingConfigHash${short(configHash)}`);
  await expect(events).toContainText(/datanetVersions\[\{"datanetId":"\d+","version":"1"\}\]/);
  // ... and names the workspace's adapter it registered, with the same match.
  const txAdapters = page.getByTestId('chain-transaction').getByTestId('tx-adapters');
  await expect(txAdapters.getByTestId('tx-adapter-open')).toHaveText(bestAdapter);
  await expect(txAdapters.getByTestId('adapter-match')).toHaveAttribute('data-status', 'verified');
  await snap(page, 'factory-adapter-explorer');
  // ... and its whole lineage in the event feed: the datanet version's Merkle root, the base
  // model's files hash (the default model's digest) and the adapter's config hash.
  await page.keyboard.press('Control+Shift+5');
  await page.getByRole('listbox', { name: 'Explorer sections' }).getByRole('option', { name: 'Events' }).click();
  await expect(page.getByTestId('chain-events')).toHaveAttribute('data-loaded', 'true');
  const feed = page.getByTestId('event-feed');
  await expect(feed.locator('tr[data-event-name="VersionCommitted"]')).toContainText(short(demoRoot.slice(2)));
  await expect(feed.locator('tr[data-event-name="BaseModelRegistered"]')).toContainText(short(baseDigest));
  await expect(feed.locator('tr[data-event-name="AdapterRegistered"]')).toContainText(short(configHash));
  await snap(page, 'factory-explorer-lineage');

  // A byte of the adapter's weights changed on disk after publishing: the re-check names the file
  // with the published and the actual sha256, and the explorer's link says so too.
  const ws = await callStudio(server, 'workspace.current', {});
  const weightsSha = listed[0]!.weightsSha256;
  const weightsFile = path.join(ws.path, 'artifacts', 'sha256', weightsSha.slice(0, 2), weightsSha);
  fs.chmodSync(weightsFile, 0o644);
  const bytes = fs.readFileSync(weightsFile);
  bytes[bytes.length - 2] = bytes[bytes.length - 2]! ^ 0x40;
  fs.writeFileSync(weightsFile, bytes);
  await page.locator(`[role="tab"][data-tab-id="factory-adapter:${bestAdapter}"]`).click();
  await adapterPage.getByTestId('adapter-recheck').click();
  await expect(verification).toHaveAttribute('data-status', 'mismatch');
  await expect(verification.getByTestId('adapter-match')).toContainText('local files changed');
  const changed = verification.getByTestId('adapter-changed-files').locator('tr[data-file="adapter_model.safetensors"]');
  await expect(changed).toContainText(`published ${weightsSha}`);
  await expect(changed).toContainText(/on disk now [0-9a-f]{64}/);
  await expect(verification.getByTestId('adapter-changed-files').locator('tr')).toHaveCount(1);
  await snap(page, 'factory-adapter-mismatch');

  // The light theme: the run page's charts are rebuilt with its colours.
  await page.getByRole('tab', { name: /sotu-e2e\.pipeline\.yaml/ }).click();
  await page.getByTestId('status-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await snap(page, 'factory-editor-light');
  await page.getByRole('tab', { name: /Compare 2 runs/ }).click();
  await expect(page.getByTestId('compare-chart-loss')).toBeVisible();
  await snap(page, 'factory-compare-light');
  expect(errors).toEqual([]);

  // `studio train --config` runs the saved file headless (the workspace is serve's until it stops):
  // the same pipeline text, so the same training-config hash as the run started from the UI.
  await stopStudio(child, home, { keepHome: true });
  const headless = studio('train', '--config', file);
  expect(headless).toMatchObject({ status: 'completed', steps: 12, configHash: secondRun.configHash });
});
