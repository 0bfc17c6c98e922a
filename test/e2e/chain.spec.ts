import { expect, openStudio, snap, test } from './studioFixture';

test('the Chain view shows the live devnet and stops and starts it', async ({ page, studio, errors }) => {
  test.setTimeout(120_000);
  await openStudio(page, studio);
  await page.keyboard.press('Control+Shift+Digit5');
  const side = page.getByTestId('chain-side-bar');
  const state = side.locator('[data-state]');
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  const blocks = side.getByRole('list', { name: 'Recent blocks' }).getByRole('listitem');
  await expect(blocks.first()).toContainText('#');
  await expect(page.getByTestId('status-chain')).toContainText('Chain: block');

  await page.getByRole('button', { name: 'Stop Local Devnet' }).click();
  await expect(state).toHaveAttribute('data-state', 'stopped', { timeout: 30_000 });
  await expect(side).toContainText('Start the devnet to see its blocks.');
  await expect(page.getByTestId('status-chain')).toContainText('stopped');
  await snap(page, 'chain-stopped-dark');

  await page.getByRole('button', { name: 'Start Local Devnet' }).click();
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(blocks.first()).toBeVisible();
  expect(errors).toEqual([]);
});
