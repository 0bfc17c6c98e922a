import { expect, openStudio, snap, test } from './studioFixture';

const ACTIVITIES = ['workspace', 'datanets', 'factory', 'playground', 'chain', 'governance', 'artifacts'] as const;
// Every activity is built now; a capability that lands later adds itself here while it shows its overview.
const NOT_BUILT: readonly string[] = [];

test('opens with the token and walks every activity in both themes', async ({ page, studio, errors }) => {
  await openStudio(page, studio);
  await expect(page.getByTestId('workspace-overview')).toBeVisible();
  await expect(page.getByTestId('status-engine')).toBeVisible();
  await expect(page.getByTestId('status-chain')).toBeVisible();

  for (const theme of ['dark', 'light'] as const) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) {
      await page.getByTestId('status-theme').click();
      await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    }
    for (const id of ACTIVITIES) {
      const button = page.locator(`.activity-bar [data-activity="${id}"]`);
      if ((await button.getAttribute('aria-selected')) !== 'true') await button.click();
      await expect(button).toHaveAttribute('aria-selected', 'true');
      const side = page.locator(`.side-bar[data-view="${id}"]`);
      await expect(side).toBeVisible();
      if (NOT_BUILT.includes(id)) {
        // Honest empty states: what the view will do, and what this build lacks.
        await expect(side).toContainText('not part of this build');
        await side.getByRole('button', { name: 'What this view will do' }).click();
        await expect(page.getByTestId(`capability-${id}`)).toContainText('What this view will do');
      }
      if (id === 'datanets') await expect(side.getByTestId('datanets-side-bar')).toBeVisible();
      if (id === 'factory') await expect(side.getByTestId('factory-new-pipeline')).toBeVisible();
      if (id === 'chain') {
        // The devnet's real state from chain.status, whatever it is on this machine.
        await expect(side.locator('[data-state]')).toHaveAttribute('data-state', /running|starting|stopped|error/);
      }
      await snap(page, `${id}-${theme}`);
    }
  }
  expect(errors).toEqual([]);
});

test('the activity bar, side bar and panel work from the keyboard', async ({ page, studio }) => {
  await openStudio(page, studio);
  // Arrow keys move along the activity bar; Enter selects.
  await page.locator('.activity-bar [data-activity="workspace"]').focus();
  await page.keyboard.press('ArrowDown');
  await expect(page.locator('.activity-bar [data-activity="datanets"]')).toBeFocused();
  await snap(page, 'keyboard-focus-dark');
  await page.keyboard.press('Enter');
  await expect(page.locator('.side-bar[data-view="datanets"]')).toBeVisible();
  // Selecting the shown activity again hides the side bar, as in VS Code.
  await page.keyboard.press('Enter');
  await expect(page.locator('.side-bar')).toHaveCount(0);
  await page.keyboard.press('Control+b');
  await expect(page.locator('.side-bar')).toBeVisible();

  // The sash resizes the side bar with arrow keys (and the mouse).
  const side = page.locator('.workbench__side');
  const before = (await side.boundingBox())!.width;
  await page.getByRole('separator', { name: 'Resize side bar' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await side.boundingBox())!.width).toBe(before + 32);
  // The layout is remembered: after a reload the side bar shows the same view at the same width.
  await page.reload();
  await expect(page.locator('.side-bar[data-view="datanets"]')).toBeVisible();
  await expect.poll(async () => (await page.locator('.workbench__side').boundingBox())?.width).toBe(before + 32);

  // Ctrl+J hides and shows the panel; the Logs view has a level filter.
  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Panel' })).toHaveCount(0);
  await page.keyboard.press('Control+Shift+U');
  await expect(page.getByLabel('Lowest log level shown')).toBeVisible();
  await expect(page.getByTestId('logs-list')).toContainText('Opened workspace');
});
