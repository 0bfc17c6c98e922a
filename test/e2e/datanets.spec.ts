import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, test } from './studioFixture';

// Anvil's first two dev accounts (checksummed): the file's contributors.
const ALICE = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
const BOB = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

const words = (seed: string, n: number) => Array.from({ length: n }, (_, i) => `${seed}${(i * 7919) % 97}w${i}`).join(' ');
const base = `Customer asked how to reset the router after the firmware update ${words('r', 50)} and the agent explained every step.`;

/** Seven good rows (two near copies of the first: one word changed at the end) and one bad line. */
function writeSource(dir: string): string {
  const rows = [
    { uid: 'c-1', message: base, author_addr: ALICE },
    { uid: 'c-2', message: `A billing question about a double charge on the March invoice ${words('b', 40)} resolved with a refund.`, author_addr: BOB },
    { uid: 'c-3', message: `Shipping delay for order 5521 explained ${words('s', 40)} with a tracking link.`, author_addr: ALICE },
    { uid: 'c-4', message: `${base} Thanks`, author_addr: BOB },
    { uid: 'c-5', message: `${base} Cheers`, author_addr: ALICE },
    { uid: 'c-6', message: `Password change steps for the mobile app ${words('p', 40)} confirmed by the user.`, author_addr: BOB },
    { uid: 'c-7', message: `Warranty claim for a cracked screen ${words('w', 40)} escalated to the repair team.`, author_addr: ALICE },
  ];
  const lines = rows.map((r) => JSON.stringify(r));
  lines.splice(3, 0, '{"uid": "c-bad", "message": "cut off'); // line 4: malformed JSON
  const file = path.join(dir, 'support.jsonl');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

test('a curator imports a file with a field mapping, reviews with the keyboard, excludes near duplicates, versions and publishes', async ({ page, studio, errors }) => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-datanets-e2e-'));
  const file = writeSource(dir);
  await openStudio(page, studio);

  // Create the datanet from the side bar.
  await page.keyboard.press('Control+Shift+Digit2');
  const side = page.getByTestId('datanets-side-bar');
  await expect(side).toBeVisible();
  await page.getByRole('button', { name: 'Create Datanet', exact: true }).click();
  const form = page.getByRole('form', { name: 'Create datanet' });
  await form.getByLabel('Name').fill('Support Chats');
  await expect(form).toContainText('Lowercase letters');
  await form.getByLabel('Name').fill('support-chats');
  await form.getByLabel('Domain').fill('customer support');
  await form.getByLabel('Licence').fill('CC-BY-4.0');
  await form.getByRole('button', { name: 'Create datanet' }).click();
  await expect(side.locator('[data-datanet="support-chats"]')).toContainText('0 rec');
  const editor = page.getByTestId('datanet-editor');
  await expect(editor).toHaveAttribute('data-datanet', 'support-chats');

  // Import: preview, map the fields (none has a name the view guesses for text or contributor).
  const importer = editor.getByTestId('datanet-import');
  await expect(importer).toContainText('give its path on the machine running Studio');
  await importer.getByLabel('Source path').fill(file);
  await importer.getByRole('button', { name: 'Preview' }).click();
  const preview = importer.getByTestId('import-preview');
  await expect(preview).toContainText('author_addr');
  await expect(preview.locator('tr.is-error')).toContainText('4');
  const mapping = preview.getByTestId('field-mapping');
  await expect(importer.getByTestId('start-import')).toBeDisabled();
  await mapping.getByLabel('Text field').selectOption('message');
  await mapping.getByLabel('Source id field').selectOption('uid');
  // One address for the file is checked (EIP-55) before anything starts…
  await mapping.getByLabel('one address').check();
  await mapping.getByLabel('Contributor address').fill(BOB.replace('C8', 'c8'));
  await expect(mapping).toContainText('EIP-55');
  await expect(importer.getByTestId('start-import')).toBeDisabled();
  // …but this file names each row's contributor.
  await mapping.getByLabel('from a field').check();
  await mapping.getByLabel('Contributor field').selectOption('author_addr');
  await snap(page, 'datanets-import-mapping-dark');
  await importer.getByTestId('start-import').click();
  const report = importer.getByTestId('import-report');
  await expect(report.getByTestId('import-imported')).toHaveText('7', { timeout: 60_000 });
  await expect(report.getByTestId('import-rejected')).toHaveText('1');
  await expect(report.getByTestId('rejected-rows')).toContainText('4');
  await expect(importer.getByTestId('imports-table')).toContainText('support.jsonl');
  const stats = editor.getByTestId('datanet-stats');
  await expect(stats.locator('[data-stat="records"]')).toContainText('7');
  await expect(stats.locator('[data-stat="near duplicates"]')).toContainText('2');
  await expect(stats.locator('[data-stat="contributors"]')).toContainText('2');
  await expect(page.getByRole('region', { name: 'Panel' })).toContainText('Import support.jsonl');
  // The records get the whole height from here on (and the screenshots show them).
  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Panel' })).toHaveCount(0);
  await snap(page, 'datanets-import-report-dark');

  // Review the pending queue with the keyboard.
  await report.getByRole('button', { name: 'Review records' }).click();
  await expect(editor.getByTestId('records-total')).toHaveText('7 records');
  const table = editor.getByTestId('records-table');
  const row = (sourceId: string) => table.locator('[role="row"]', { hasText: sourceId });
  await row('c-1').click();
  await expect(editor.getByTestId('review-keys')).toContainText('reject with reason');
  await page.keyboard.press('a'); // c-1 accepted
  await expect(row('c-1')).toHaveAttribute('data-status', 'accepted');
  await page.keyboard.press('r'); // c-2 rejected with a reason
  const inspector = editor.getByTestId('record-inspector');
  await inspector.getByLabel('Rejection reason').fill('off-topic: billing');
  await page.keyboard.press('Enter');
  await expect(row('c-2')).toHaveAttribute('data-status', 'rejected');
  await expect(table).toBeFocused();
  await page.keyboard.press('s'); // c-3 skipped
  await page.keyboard.press('x'); // c-4 excluded…
  await expect(row('c-4')).toHaveAttribute('data-status', 'excluded');
  await page.keyboard.press('u'); // …and back
  await expect(row('c-4')).toHaveAttribute('data-status', 'pending');
  await expect(stats.locator('[data-stat="accepted"]')).toContainText('1');
  await expect(stats.locator('[data-stat="rejected"]')).toContainText('1');
  await expect(inspector.getByTestId('review-history')).toContainText('off-topic: billing');
  await snap(page, 'datanets-review-dark');

  // Full-text search highlights its matches.
  await editor.getByLabel('Search records').fill('warranty');
  await expect(editor.getByTestId('records-total')).toHaveText('1 records');
  await expect(table.locator('mark.search-hit')).toHaveText(/warranty/i);
  await editor.getByLabel('Search records').fill('');

  // The inspector's cluster link shows the near-duplicate cluster (its first record and copies).
  await row('c-4').click();
  // Its near duplicate beside the cluster's first record: only the added word is marked.
  const diff = inspector.getByTestId('near-duplicate-diff').locator('pre');
  await expect(diff.locator('ins.diff-added')).toHaveText(/^\s*Thanks$/);
  await expect(diff.locator('del.diff-removed')).toHaveCount(0);
  await snap(page, 'datanets-near-duplicate-dark');
  await inspector.getByRole('button', { name: '#1' }).click();
  await expect(editor.getByTestId('records-total')).toHaveText('3 records');

  // One bulk action excludes every near duplicate, with its reason.
  await stats.locator('[data-stat="near duplicates"]').click();
  await expect(editor.getByTestId('records-total')).toHaveText('2 records');
  await editor.getByLabel('Bulk reason').fill('near duplicate of c-1');
  await editor.locator('[data-bulk="exclude"]').click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Exclude all' }).click();
  await expect(stats.locator('[data-stat="excluded"]')).toContainText('2');
  await expect(table.locator('[data-status="excluded"]')).toHaveCount(2);

  // Accept what is left pending, then freeze a version and publish it.
  await stats.locator('[data-stat="pending"]').click();
  await expect(editor.getByTestId('records-total')).toHaveText('3 records');
  await editor.locator('[data-bulk="accept"]').click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Accept all' }).click();
  await expect(stats.locator('[data-stat="accepted"]')).toContainText('4');
  await editor.getByRole('tab', { name: 'Versions' }).click();
  const versions = editor.getByTestId('datanet-versions');
  await versions.getByTestId('create-version').click();
  const v1 = versions.locator('tr[data-version="1"]');
  await expect(v1.getByTestId('merkle-root')).toHaveAttribute('title', /^0x[0-9a-f]{64}$/);
  const api = await callStudio(studio, 'datanets.versions', { datanet: 'support-chats' });
  expect(api).toHaveLength(1);
  expect(api[0]!.records).toBe(4);
  await expect(v1.getByTestId('merkle-root')).toHaveAttribute('title', api[0]!.merkleRoot);

  // Publishing needs the devnet the serve process starts.
  await expect.poll(async () => (await callStudio(studio, 'chain.status', {})).running, { timeout: 60_000 }).toBe(true);
  await v1.getByTestId('publish-version').click();
  await expect(v1.getByTestId('publication-status')).toHaveAttribute('data-status', 'confirmed', { timeout: 60_000 });
  await snap(page, 'datanets-versions-dark');
  await v1.getByRole('button', { name: 'explorer' }).click();
  const publications = page.getByTestId('chain-publications');
  const published = publications.locator('tr[data-status="confirmed"]', { hasText: 'Datanet version' });
  await expect(published).toHaveCount(1);
  await expect(published).toContainText('4 records');

  // Both themes: the records view in light.
  await page.getByRole('tab', { name: 'support-chats' }).click();
  await editor.getByRole('tab', { name: 'Records & review' }).click();
  await page.getByTestId('status-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await stats.locator('[data-stat="records"]').click();
  await expect(editor.getByTestId('records-total')).toHaveText('7 records');
  await row('c-1').click();
  await snap(page, 'datanets-records-light');
  expect(errors).toEqual([]);
});
