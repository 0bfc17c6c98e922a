import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callStudio, importArtifact } from './studioApi';
import { expect, openStudio, snap, test } from './studioFixture';

test('artifacts list real entries with a detail tab, and verifying the store runs as a job', async ({ page, studio, errors }) => {
  // Two real files go into the store through the core's own import job.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-files-'));
  const corpus = path.join(dir, 'contributors.jsonl');
  fs.writeFileSync(corpus, ['{"text":"first record","contributor":"alice"}', '{"text":"second record","contributor":"bob"}'].join('\n') + '\n');
  const notes = path.join(dir, 'notes.txt');
  fs.writeFileSync(notes, 'Attribution Studio end-to-end test.\n'.repeat(40));
  await importArtifact(studio, corpus, 'contributors.jsonl');
  await importArtifact(studio, notes, 'notes.txt');
  const stored = await callStudio(studio, 'artifacts.list', {});
  const corpusEntry = stored.find((a) => a.name === 'contributors.jsonl')!;

  await openStudio(page, studio);
  await page.locator('.activity-bar [data-activity="artifacts"]').click();
  const list = page.getByRole('listbox', { name: 'Artifacts' });
  await expect(list.getByRole('option')).toHaveCount(stored.length);
  const item = list.getByRole('option').filter({ hasText: 'contributors.jsonl' });
  await expect(item).toContainText(corpusEntry.sha256.slice(0, 12));
  await expect(item).toContainText(`${corpusEntry.size} B`);

  // Keyboard: focus the list, move down and up, open with Enter.
  await list.getByRole('option').first().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await item.focus();
  await page.keyboard.press('Enter');
  const detail = page.getByTestId('artifact-detail');
  await expect(detail).toContainText(corpusEntry.sha256);
  await expect(detail).toContainText(corpusEntry.mediaType);
  await snap(page, 'artifact-detail-dark');

  // The verify command starts the artifacts.verify job; the Jobs panel follows it to the end.
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type('Verify Artifact Store');
  await page.keyboard.press('Enter');
  const jobs = page.getByTestId('jobs-list');
  const verify = jobs.locator('[data-job-id]').filter({ hasText: 'artifacts.verify' }).first();
  await expect(verify).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('status-jobs')).toContainText('No jobs running');
  await snap(page, 'jobs-dark');

  // A job's own log lines, one click away.
  await verify.getByRole('button', { name: /Show the logs of/ }).click();
  const logs = page.getByTestId('logs-list');
  await expect(logs).toContainText('match their sha256');
  await expect(logs).not.toContainText('Importing');
  await page.getByRole('button', { name: /show all/ }).click();
  await expect(logs).toContainText('Importing');
  await page.getByLabel('Lowest log level shown').selectOption('error');
  await page.getByLabel('Lowest log level shown').selectOption('debug');
  await snap(page, 'logs-dark');

  await page.getByTestId('status-theme').click();
  await page.getByRole('tab', { name: 'Jobs' }).click();
  await snap(page, 'jobs-light');
  fs.rmSync(dir, { recursive: true, force: true });
  expect(errors).toEqual([]);
});
