import { expect, openStudio, snap, test } from './studioFixture';

test('a workspace is created with its name checked as typed, then switched to and back', async ({ page, studio, errors }) => {
  await openStudio(page, studio);
  const name = page.getByLabel('Name', { exact: true });
  const create = page.getByRole('button', { name: 'Create workspace', exact: true });

  await name.fill('Bad Name');
  await expect(page.locator('#new-workspace-hint')).toHaveText('Use lowercase letters only.');
  await expect(create).toBeDisabled();
  await name.fill('demo');
  await expect(page.locator('#new-workspace-hint')).toContainText('already exists');
  await snap(page, 'workspace-create-invalid-dark');

  await name.fill('e2e-second');
  await expect(create).toBeEnabled();
  await name.press('Enter');
  const list = page.getByRole('listbox', { name: 'Workspaces' });
  await expect(list.getByRole('option', { name: /e2e-second/ })).toBeVisible();
  await expect(name).toHaveValue('');

  // Switch through the status bar's workspace picker.
  await page.getByTestId('status-workspace').click();
  const picker = page.getByRole('dialog', { name: 'Switch workspace' });
  await picker.getByRole('option', { name: /e2e-second/ }).click();
  await expect(page.getByTestId('status-workspace')).toContainText('e2e-second');
  await expect(page.getByTestId('workspace-overview')).toContainText('e2e-second');
  await expect(page.getByTestId('workspace-overview')).toContainText('Schema version');
  await snap(page, 'workspace-switched-dark');

  // And back, from the list with the keyboard.
  await list.getByRole('option', { name: /demo/ }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('status-workspace')).toContainText('demo');
  expect(errors).toEqual([]);
});

test('the server refuses its API without the launch token, and the page says how to get in', async ({ page, studio, request }) => {
  // The page is the public renderer build; only the API needs the token.
  const bare = await request.get(`${studio.origin}/`, { failOnStatusCode: false });
  expect(bare.status()).toBe(200);
  const api = await request.get(`${studio.origin}/api`, { failOnStatusCode: false });
  expect(api.status()).toBe(401);
  const wrong = await request.get(`${studio.origin}/?token=not-the-token`, { failOnStatusCode: false });
  expect(wrong.status()).toBe(401);

  // A fresh browser without the token gets the page, which says how to get in, not the app.
  const response = await page.goto(`${studio.origin}/`);
  expect(response?.status()).toBe(200);
  await expect(page.getByTestId('launch-token-required')).toContainText('needs the launch token');
  await expect(page.locator('.workbench')).toHaveCount(0);

  // With the token once, the tab keeps it (and the address bar drops it) from then on.
  await openStudio(page, studio);
  expect(page.url()).toBe(`${studio.origin}/`);
  await page.goto(`${studio.origin}/`);
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  const cookies = await page.context().cookies();
  expect(cookies).toEqual([]);
});
