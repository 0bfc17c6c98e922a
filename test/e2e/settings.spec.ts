import type { Page } from '@playwright/test';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, test } from './studioFixture';

/** Double-clicks the value on the settings line that holds `key`, and types over it, as a person would. */
async function retypeValue(page: Page, key: string, from: string, to: string) {
  const line = page.locator('.settings-editor .view-line').filter({ hasText: `"${key}"` });
  await line.getByText(from, { exact: true }).dblclick();
  await page.keyboard.type(to);
  await expect(line).toContainText(to);
}

test('settings are edited in Monaco, saved with Ctrl+S, and a bad value is refused with the field named', async ({ page, studio, errors }) => {
  await openStudio(page, studio);
  const original = await callStudio(studio, 'settings.get', {});
  const fontSize = String(original.settings.editor.fontSize);
  const lineOf = (key: string) => original.text.split('\n').findIndex((l) => l.includes(`"${key}"`)) + 1;

  await page.locator('.activity-bar [data-activity="settings"]').click();
  const editor = page.getByTestId('settings-editor');
  const state = editor.locator('.editor-toolbar__state');
  await expect(editor.locator('.monaco-editor')).toBeVisible();
  await expect(editor.locator('.view-lines')).toContainText('displayName');
  await expect(state).toHaveText('Saved');
  await snap(page, 'settings-dark');

  // A value the schema refuses: the core names the field, the editor marks its line.
  await retypeValue(page, 'fontSize', fontSize, '99');
  await expect(state).toHaveText('Unsaved changes');
  await expect(page.locator('.tab.is-active')).toHaveClass(/is-dirty/);
  await page.keyboard.press('Control+S');
  const problems = page.getByTestId('settings-errors');
  await expect(problems).toContainText('editor.fontSize');
  await expect(problems).toContainText(`Line ${lineOf('fontSize')}`);
  await expect(editor.locator('.squiggly-error').first()).toBeAttached();
  expect((await callStudio(studio, 'settings.get', {})).settings.editor.fontSize).toBe(original.settings.editor.fontSize);
  await snap(page, 'settings-error-dark');

  // Text that is not JSON is refused too, naming the line and column of the bad token.
  await retypeValue(page, 'fontSize', '99', 'oops');
  await page.keyboard.press('Control+S');
  await expect(problems).toContainText(`Line ${lineOf('fontSize')}, column`);

  // A good edit is saved, the markers clear, and the core has it.
  await retypeValue(page, 'fontSize', 'oops', '15');
  await page.keyboard.press('Control+S');
  await expect(problems).toBeHidden();
  await expect(state).toHaveText('Saved');
  await expect(page.getByTestId('toast-info').filter({ hasText: 'Settings saved' })).toBeVisible();
  await expect(page.locator('.tab.is-active')).not.toHaveClass(/is-dirty/);
  expect((await callStudio(studio, 'settings.get', {})).settings.editor.fontSize).toBe(15);

  await page.getByTestId('status-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect(editor.locator('.monaco-editor')).not.toHaveClass(/vs-dark/);
  await snap(page, 'settings-light');

  // Leave the workspace as it was for the other tests.
  await callStudio(studio, 'settings.update', { text: original.text });
  expect(errors).toEqual([]);
});
