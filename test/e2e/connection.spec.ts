import { expect, openStudio, snap, startStudio, stopStudio, test } from './studioFixture';

test('when the core goes away the workbench says so, and calls fail with a message', async ({ page }) => {
  // Its own server: this test stops it.
  const { server, child } = await startStudio();
  try {
    await openStudio(page, server);
    child.kill('SIGTERM');
    await expect(page.getByTestId('connection-banner')).toBeVisible();
    await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', /reconnecting|disconnected/);
    await expect(page.getByTestId('connection-banner')).toContainText('connection to the Studio core was lost');

    // A command that needs the core waits for it, then reports why it could not run.
    await page.keyboard.press('Control+Shift+P');
    await page.keyboard.type('Refresh Artifacts');
    await page.keyboard.press('Enter');
    // (Calls in flight when the core died, such as the devnet's first block list, fail too.)
    await expect(page.getByTestId('toast-error').filter({ hasText: 'not reachable' })).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'disconnected', { timeout: 20_000 });
    await snap(page, 'disconnected-dark');
  } finally {
    await stopStudio(child, server.home);
  }
});
