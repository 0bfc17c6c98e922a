import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, test } from './studioFixture';

test('a running job shows its progress and can be cancelled from the Jobs panel', async ({ page, studio, errors }) => {
  // A 4 GiB sparse file: no disk used to make it, and hashing and copying it takes the core
  // seconds, long enough to see the job run and to cancel it.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-big-'));
  const big = path.join(dir, 'large-corpus.bin');
  fs.closeSync(fs.openSync(big, 'w'));
  fs.truncateSync(big, 4 * 1024 ** 3);
  try {
    await openStudio(page, studio);
    const job = await callStudio(studio, 'jobs.start', { kind: 'artifacts.import', params: { path: big, name: 'large-corpus.bin' } });
    const row = page.locator(`[data-job-id="${job.id}"]`);
    await expect(row).toHaveAttribute('data-status', 'running');
    const bar = row.getByRole('progressbar');
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute('aria-valuenow', /\d+/);
    await expect(page.getByTestId('status-jobs')).toContainText('1 running');
    await snap(page, 'job-running-dark');

    await row.getByRole('button', { name: 'Cancel' }).click();
    await expect(row).toHaveAttribute('data-status', 'cancelled');
    await expect(row.getByRole('button', { name: 'Cancel' })).toHaveCount(0);
    await expect(page.getByTestId('status-jobs')).toContainText('No jobs running');
    await snap(page, 'job-cancelled-dark');
    expect(errors).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
