import { expect, openStudio, snap, test } from './studioFixture';

test('the Chain view shows the live devnet and stops and starts it', async ({ page, studio, errors }) => {
  test.setTimeout(120_000);
  await openStudio(page, studio);
  await page.keyboard.press('Control+Shift+Digit5');
  const side = page.getByTestId('chain-side-bar');
  const state = side.locator('[data-state]');
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  const blocks = side.getByRole('listbox', { name: 'Recent blocks' }).getByRole('option');
  await expect(blocks.first()).toContainText('#');
  await expect(page.getByTestId('status-chain')).toContainText('Chain: block');

  await page.getByRole('button', { name: 'Stop Local Devnet' }).click();
  await expect(state).toHaveAttribute('data-state', 'stopped', { timeout: 30_000 });
  await expect(side).toContainText('Start the devnet to see its blocks.');
  await expect(page.getByTestId('status-chain')).toContainText('stopped');
  await snap(page, 'chain-stopped-dark');

  // The explorer says what it needs instead of showing stale data, and starts the devnet itself.
  await side.getByRole('listbox', { name: 'Explorer sections' }).getByRole('option', { name: 'Blocks' }).click();
  const stopped = page.getByTestId('chain-not-running');
  await expect(stopped).toContainText('The local devnet is not running');
  await snap(page, 'chain-explorer-stopped-dark');
  await stopped.getByRole('button', { name: 'Start local devnet' }).click();
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(blocks.first()).toBeVisible();
  await expect(page.getByTestId('chain-blocks').locator('tbody tr').first()).toBeVisible();
  expect(errors).toEqual([]);
});
