import { type ChildProcess, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, startStudio, stopStudio, test, type StudioServer } from './studioFixture';

/**
 * The Factory in Chromium against a real `studio serve` (its devnet included): a pipeline built
 * in the graph on a tiny Llama-family model and a small datanet (made here through the CLI; the
 * default model is not committed yet), its errors shown on the nodes they belong to and fixed in
 * the inspector and in Monaco; two runs with live loss charts, compared; the best adapter kept and
 * published to the ModelRegistry, its registration decoded in the explorer.
 */
let home: string;
let model: string;
let child: ChildProcess;
let server: StudioServer;

function studio(...args: string[]): void {
  const r = spawnSync(process.execPath, ['bin/studio.mjs', ...args, '--json'], {
    env: { ...process.env, STUDIO_HOME: home },
    encoding: 'utf8',
  });
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-factory-'));
  model = path.join(home, 'models', 'tiny-llama');
  buildTestModel(model, { family: 'llama', seed: 3 });
  // A datanet of 24 short stories by three contributors, accepted and frozen as version 1.
  const rows = Array.from({ length: 24 }, (_, i) => ({
    text: `The keeper lit the lamp ${i + 1} times and the ships came home before the storm.`,
    who: `0x${String((i % 3) + 1).padStart(40, '0')}`,
  }));
  const file = path.join(home, 'tales.jsonl');
  fs.writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  studio('datanet', 'create', 'tales');
  studio('datanet', 'import', 'tales', '--file', file, '--contributor-field', 'who');
  studio('datanet', 'review', 'tales', '--filter', 'status:pending', '--action', 'accept');
  studio('datanet', 'version', 'tales');
  ({ child, server } = await startStudio({ home }));
});

test.afterAll(async () => {
  if (child) await stopStudio(child, home);
});

const node = (page: Page, id: string) => page.getByTestId(`pipeline-node-${id}`);

/** Replaces the end of one line of the YAML in Monaco by typing, as a user would. */
async function editYamlLine(page: Page, find: string, erase: number, typed: string): Promise<void> {
  const line = page.getByTestId('pipeline-yaml').locator('.view-line', { hasText: find });
  await line.click();
  await page.keyboard.press('End');
  for (let i = 0; i < erase; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type(typed);
}

test('builds a pipeline in the graph, fixes errors shown on its nodes, runs it twice, compares, keeps the best adapter and publishes it with its lineage', async ({ page, errors }) => {
  test.setTimeout(300_000);
  await openStudio(page, server);
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

  // Fixed in the inspector: the YAML and the node follow.
  await node(page, 'datanet').click();
  await page.getByTestId('pipeline-field-datanet-name').fill('tales');
  await expect(yaml.locator('.view-lines')).toContainText('name: tales');
  await expect(node(page, 'datanet')).toHaveAttribute('data-invalid', 'false');
  await expect(node(page, 'datanet')).toContainText('tales @ latest');

  await node(page, 'model').click();
  await page.getByTestId('pipeline-field-model-base').fill(model);
  await node(page, 'train').click();
  await page.getByTestId('pipeline-field-train-steps').fill('24');
  await page.getByTestId('pipeline-field-train-seq').fill('32');
  await page.getByTestId('pipeline-field-train-batch').fill('2');
  await page.getByTestId('pipeline-field-train-lr').fill('0.01');
  await page.getByTestId('pipeline-field-train-evalEvery').fill('8');
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
  await yaml.locator('.view-line', { hasText: 'evalEvery: 8' }).click();
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

  // The format node previews the datanet's records as trained (kind text: all of it in the loss).
  await node(page, 'format').click();
  await expect(page.getByTestId('format-preview').locator('.fx-format-preview__record').first()).toContainText('The keeper lit the lamp');
  await snap(page, 'factory-editor');

  // Prompts for the samples at each evaluation, typed one per line in the evaluate node.
  await node(page, 'evaluate').click();
  await page.getByTestId('pipeline-field-evaluate-prompts').fill('The keeper lit\nThe ships');
  await expect(yaml.locator('.view-lines')).toContainText('prompts: [The keeper lit, The ships]');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');

  // Run it: the run page opens and its loss chart fills from the factory.metrics stream.
  await page.getByTestId('pipeline-start').click();
  const runPage = page.getByTestId('run-page');
  await expect(runPage).toBeVisible();
  const lossChart = page.getByTestId('run-chart-loss');
  await expect.poll(async () => Number(await lossChart.getAttribute('data-points')), { timeout: 60_000 }).toBeGreaterThan(0);
  await expect(runPage).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect.poll(async () => Number(await lossChart.getAttribute('data-points'))).toBe(24);
  // Evaluations every 8 steps: eval loss and the prompts' samples at 8, 16 and 24.
  await expect(page.getByTestId('run-checkpoints').locator('tbody tr')).toHaveCount(3);
  await expect(page.getByTestId('run-samples').locator('.fx-samples__step')).toHaveCount(3);
  await expect(page.getByTestId('run-samples')).toContainText('The keeper lit');
  await expect(page.getByTestId('run-open-adapter')).toContainText('my-adapter');
  await snap(page, 'factory-run');

  // A second run with another learning rate, from the same pipeline tab.
  await page.getByRole('tab', { name: /Untitled pipeline/ }).click();
  await node(page, 'train').click();
  await page.getByTestId('pipeline-field-train-lr').fill('0.002');
  await expect(page.getByTestId('pipeline-status')).toHaveAttribute('data-state', 'valid');
  await page.getByTestId('pipeline-start').click();
  await expect(page.getByTestId('run-page')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });

  // Compare the two: the learning rate is the one difference; both runs' samples side by side.
  const items = page.getByTestId('runs-list').locator('li');
  await expect(items).toHaveCount(2);
  await items.nth(0).locator('input[type=checkbox]').check();
  await items.nth(1).locator('input[type=checkbox]').check();
  await page.getByTestId('runs-compare').click();
  const compare = page.getByTestId('compare-page');
  await expect(compare.getByTestId('compare-settings').locator('tbody tr')).toHaveCount(1);
  await expect(compare.getByTestId('compare-settings')).toContainText('train.lr');
  await expect(compare.getByTestId('compare-samples').locator('tbody tr')).toHaveCount(2);
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
  await expect(lineage).toContainText(model);
  await expect(lineage).toContainText('model.safetensors');
  await expect(adapterPage.getByTestId('adapter-datanet')).toContainText(/tales v1 · root 0x[0-9a-f]{64}/);
  const listed = await callStudio(server, 'adapters.list', {});
  expect(listed.map((a) => a.name)).toEqual([bestAdapter]);

  // Publish: the adapter is registered in the ModelRegistry with its lineage (the datanet version
  // and the base model go first); its page shows the on-chain record.
  await adapterPage.getByTestId('adapter-publish').click();
  await expect(adapterPage.getByTestId('adapter-published')).toBeVisible({ timeout: 60_000 });
  const record = adapterPage.getByTestId('adapter-chain-record');
  await expect(record).toContainText('confirmed');
  await snap(page, 'factory-adapter');

  // The explorer decodes the registration: AdapterRegistered with the run's training-config hash.
  const configHash = (await lineage.locator('tr', { hasText: 'Config hash' }).locator('td').textContent())!.trim();
  expect(configHash).toMatch(/^[0-9a-f]{64}$/);
  await record.getByTestId('adapter-tx').locator('button').click();
  const events = page.getByTestId('chain-transaction').getByTestId('tx-events');
  await expect(events).toContainText('AdapterRegistered');
  // (The explorer shortens 32-byte values to their ends; the full value is in its title.)
  await expect(events).toContainText(`trainingConfigHash0x${configHash.slice(0, 8)}…${configHash.slice(-8)}`);
  await expect(events).toContainText(/datanetVersions\[\{"datanetId":"\d+","version":"1"\}\]/);
  await snap(page, 'factory-adapter-explorer');

  // The light theme: the run page's charts are rebuilt with its colours.
  await page.getByRole('tab', { name: /Untitled pipeline/ }).click();
  await page.getByTestId('status-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await snap(page, 'factory-editor-light');
  await page.getByRole('tab', { name: /Compare 2 runs/ }).click();
  await expect(page.getByTestId('compare-chart-loss')).toBeVisible();
  await snap(page, 'factory-compare-light');
  expect(errors).toEqual([]);
});
