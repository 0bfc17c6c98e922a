import { expect, openStudio, snap, test } from './studioFixture';

test('the command palette lists every command and runs one from the keyboard', async ({ page, studio, errors }) => {
  await openStudio(page, studio);
  await page.keyboard.press('Control+Shift+P');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await expect(palette.getByRole('combobox')).toBeFocused();
  // Every registered command is listed (disabled ones excepted); spot-check across categories.
  for (const id of ['workbench.commandPalette', 'workbench.toggleTheme', 'artifacts.verify', 'settings.open', 'workspace.switch', 'workbench.view.chain', 'help.about']) {
    await expect(palette.locator(`[data-command-id="${id}"]`)).toHaveCount(1);
  }
  expect(await palette.getByRole('option').count()).toBeGreaterThanOrEqual(25);
  await snap(page, 'palette-dark');

  // Filter, move with the arrows, run with Enter.
  await page.keyboard.type('theme');
  await expect(palette.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  const dark = await page.locator('html').getAttribute('data-theme');
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', dark!);

  // Escape closes without running anything.
  await page.keyboard.press('Control+Shift+P');
  await expect(palette).toBeVisible();
  await page.keyboard.type('Show Jobs');
  await page.keyboard.press('Escape');
  await expect(palette).toBeHidden();

  // A command by its own keybinding: Ctrl+Shift+5 reveals the Chain view.
  await page.keyboard.press('Control+Shift+Digit5');
  await expect(page.locator('.side-bar[data-view="chain"]')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the theme toggle is remembered across reloads and Monaco follows it', async ({ page, studio }) => {
  await openStudio(page, studio);
  const html = page.locator('html');
  const before = (await html.getAttribute('data-theme'))!;
  const after = before === 'dark' ? 'light' : 'dark';
  await page.getByTestId('status-theme').click();
  await expect(html).toHaveAttribute('data-theme', after);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', after);
  await page.keyboard.press('Control+,');
  await expect(page.locator('.monaco-editor')).toBeVisible();
  await expect(page.locator('.monaco-editor')).toHaveClass(after === 'dark' ? /vs-dark/ : /\bvs\b/);
  await page.keyboard.press('Control+Alt+T');
  await expect(html).toHaveAttribute('data-theme', before);
  await expect(page.locator('.monaco-editor')).toHaveClass(before === 'dark' ? /vs-dark/ : /\bvs\b/);
});

test('tabs open, switch and close from the keyboard', async ({ page, studio }) => {
  await openStudio(page, studio);
  const tabs = page.getByRole('tablist', { name: 'Open editors' }).getByRole('tab');
  await expect(tabs).toHaveCount(1);
  await page.keyboard.press('Control+,');
  await expect(tabs).toHaveCount(2);
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+PageDown');
  await expect(tabs.nth(0)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Control+w');
  await expect(tabs).toHaveCount(1);
  await expect(tabs.first()).toContainText('Settings');
  await page.keyboard.press('Control+w');
  await expect(tabs).toHaveCount(0);
  await expect(page.locator('.watermark')).toBeVisible();
  await snap(page, 'no-editors-dark');
});
