import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_CONTRIBUTOR_ADDRESSES } from '../../main/api/constants';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, startStudio, stopStudio, test, type StudioServer } from './studioFixture';

/**
 * Proof of Attribution end to end, in Chromium against a real `studio serve --model DIR`: a small
 * datanet whose records belong to three demo contributors, an adapter trained on its first
 * version through `studio train --datanet` (so its lineage names the datanet), then the
 * playground's heatmap, a token's records and contributors, the jump to the record's inspector,
 * presenter mode, and the rewards: settle the epoch on the devnet and claim as a contributor,
 * whose balance changes on the local chain.
 */
const [ALICE, BOB, CAROL] = DEMO_CONTRIBUTOR_ADDRESSES;
const RECORDS = [
  { id: 'keepers', text: 'The curators keep every record tied to its contributor.', contributor: ALICE },
  { id: 'rewards', text: 'Rewards follow the data that shaped each answer.', contributor: BOB },
  { id: 'versions', text: 'Each version of the datanet is frozen and published.', contributor: CAROL },
];

let home: string;
let child: ChildProcess;
let server: StudioServer;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-attribution-'));
  const model = path.join(home, 'models', 'tiny-llama');
  buildTestModel(model, { family: 'llama', seed: 4 });
  const data = path.join(home, 'records.jsonl');
  fs.writeFileSync(data, RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const studio = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/studio.mjs', ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8' });
    expect(r.status, `studio ${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  };
  studio('datanet', 'create', 'notes');
  studio('datanet', 'import', 'notes', '--file', data, '--contributor-field', 'contributor');
  studio('datanet', 'review', 'notes', '--filter', 'all', '--action', 'accept');
  studio('datanet', 'version', 'notes');
  // Enough steps at a high rate that the tiny model repeats its records verbatim: the heatmap
  // then has exact spans to show. --gradient-store also builds the adapter's gradient store.
  studio('train', '--model', model, '--datanet', 'notes@1', '--out', path.join(home, 'notes-a'), '--rank', '8', '--steps', '40', '--lr', '5e-2', '--batch', '3', '--seq', '32', '--seed', '1', '--gradient-store');
  ({ child, server } = await startStudio({ home, args: ['--model', model] }));
});

test.afterAll(async () => {
  if (child) await stopStudio(child, home);
});

async function balanceOf(address: string): Promise<bigint> {
  return BigInt((await callStudio(server, 'chain.account', { address })).balance);
}

async function attributeInPlayground(page: Page): Promise<void> {
  await page.keyboard.press('Control+Shift+Digit7');
  await page.getByTestId('attr-open-playground').click();
  await expect(page.getByTestId('playground-attribute')).toBeChecked();
  await page.getByTestId('playground-model-base').uncheck();
  await page.getByTestId('playground-model-notes-a').check();
  await page.getByTestId('playground-run').click();
}

test('generates with an adapter trained on a datanet, shows the heatmap and a token’s records and contributors, settles the epoch and pays a contributor’s claim', async ({ page, errors }) => {
  test.setTimeout(300_000);
  await openStudio(page, server);
  // The screenshots show the editor area whole: the panel (jobs, logs) is hidden.
  await page.getByRole('button', { name: 'Hide Panel' }).click();
  await attributeInPlayground(page);

  // The heatmap replaces the plain output once the attribution is in; its text is the answer.
  const column = page.getByTestId('attr-column-notes-a');
  await expect(column).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const heatmap = column.getByTestId('attr-heatmap');
  const res = await page.request.post(`${server.origin}/v1/completions`, {
    headers: { authorization: `Bearer ${server.token}` },
    data: { model: 'notes-a', prompt: 'The curators keep', max_tokens: 24, temperature: 0, top_p: 1, seed: 0 },
  });
  const answer = ((await res.json()) as { choices: { text: string }[] }).choices[0]!.text;
  await expect(heatmap).toHaveText(answer);
  // The adapter repeats its record: the datanet is found through its lineage.
  expect(answer).toContain('every record');
  await expect(column.getByTestId('attr-chart')).toContainText('notes@1');
  await expect(column.getByTestId('attr-chart')).toContainText("from the adapter's lineage");
  const tokenCount = await heatmap.getByTestId('attr-token').count();

  // The memorised record's words are attributed, and lie in an underlined verbatim span.
  const strong = heatmap.locator('.attr-token--span[data-contributor]');
  await expect(strong.first()).toBeVisible();
  expect(Number(await strong.first().getAttribute('data-strength'))).toBeGreaterThan(0);
  await snap(page, 'attribution-heatmap');
  await page.screenshot({ path: '/tmp/attribution-heatmap.png' });

  // Clicking a token shows its records, with the shared words marked in the record's text, and
  // their contributors by their demo labels.
  await strong.first().click();
  const panel = column.getByTestId('attr-evidence-panel');
  const record = panel.locator('[data-testid="attr-record"][data-record="keepers"]');
  await expect(record).toBeVisible();
  await expect(record).toHaveAttribute('data-contributor', ALICE);
  await expect(record).toContainText('Demo contributor #1');
  await expect(record.getByTestId('attr-record-text')).toContainText(RECORDS[0]!.text);
  await expect(record.locator('mark.attr-match').first()).not.toBeEmpty();
  await expect(panel.getByTestId('attr-token-contributors')).toContainText('Demo contributor #1');
  // Both evidences per record: `studio train --datanet` built the adapter's gradient store, so the
  // gradient influence is a number beside the span score, and the chart says both were used.
  await expect(record.getByTestId('attr-record-span-score')).toHaveText(/^span \d/);
  await expect(record.getByTestId('attr-record-gradient-score')).toHaveText(/^gradient \d/);
  // The prompt's own spans: "The curators keep" is the keepers record's opening, so that record
  // holds the prompt (context 1) and the chart names the span.
  await expect(record.getByTestId('attr-record-context-score')).toHaveText('prompt 1.000');
  await expect(column.getByTestId('attr-prompt-spans')).toContainText('“The curators keep” (keepers)');
  await expect(column.getByTestId('attr-chart')).toContainText('exact spans and gradient influence (DataInf)');
  await page.screenshot({ path: '/tmp/attribution-token.png' });

  // By contributor: the legend names them; the chart holds the response's shares.
  await column.getByTestId('attr-mode-contributor').click();
  await expect(heatmap).toHaveAttribute('data-mode', 'contributor');
  await expect(column.getByTestId('attr-legend')).toContainText('Demo contributor #1');
  await expect(column.locator(`[data-testid="attr-chart-row"][data-address="${ALICE}"]`)).toBeVisible();
  await expect(column.getByTestId('attr-rule')).not.toBeEmpty();

  // Presenter mode: keys step through the tokens; Esc leaves.
  await column.getByTestId('attr-presenter-open').click();
  const presenter = page.getByTestId('attr-presenter');
  await expect(presenter).toBeVisible();
  const current = presenter.getByTestId('attr-evidence-panel');
  await page.keyboard.press('Home');
  await expect(current).toHaveAttribute('data-token-index', '0');
  await page.keyboard.press('ArrowRight');
  await expect(current).toHaveAttribute('data-token-index', '1');
  await page.keyboard.press('End');
  await expect(current).toHaveAttribute('data-token-index', String(tokenCount - 1));
  await page.keyboard.press('Shift+ArrowLeft');
  await expect(current.getByTestId('attr-record').first()).toBeVisible();
  await page.screenshot({ path: '/tmp/attribution-presenter.png' });
  await page.keyboard.press('Escape');
  await expect(presenter).toBeHidden();

  // A record opens in its datanet's inspector.
  await panel.locator('[data-testid="attr-record"][data-record="keepers"]').getByTestId('attr-open-record').click();
  const editor = page.locator('[data-testid="datanet-editor"][data-datanet="notes"]');
  await expect(editor).toBeVisible();
  await expect(editor.getByTestId('records-total')).toHaveText('1 records');
  await expect(editor.locator('.records-table__row').first()).toContainText('keepers');

  // Rewards: the playground's inference is in the open epoch; settle it, then claim as Alice.
  await page.keyboard.press('Control+Shift+Digit7');
  await page.getByTestId('attr-open-rewards').click();
  const rewards = page.getByTestId('attr-rewards');
  const epoch = rewards.locator('[data-testid="attr-epoch"][data-status="open"]').first();
  await expect(epoch).toBeVisible({ timeout: 90_000 });
  await epoch.getByTestId('attr-settle').click();
  await expect(rewards.locator('[data-testid="attr-epoch"][data-status="settled"]').first()).toBeVisible({ timeout: 60_000 });

  const before = await balanceOf(ALICE);
  const claim = rewards.locator(`[data-testid="attr-claim"][data-address="${ALICE}"]`);
  await expect(claim).toBeVisible();
  await claim.getByTestId('attr-claim-button').click();
  await expect(claim).toHaveAttribute('data-claimed', 'true', { timeout: 60_000 });
  const after = await balanceOf(ALICE);
  expect(after).toBeGreaterThan(before);
  await expect(claim.getByTestId('attr-claim-balance')).toContainText('→');
  await expect(claim.locator('[data-tx-hash]')).toBeVisible();
  await claim.scrollIntoViewIfNeeded();
  await page.screenshot({ path: '/tmp/attribution-rewards.png' });
  expect(errors).toEqual([]);
});
