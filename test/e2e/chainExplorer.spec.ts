import type { Page } from '@playwright/test';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, test } from './studioFixture';

/** Runs a command from the palette by its title, as a user would. */
async function runCommand(page: Page, title: string) {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
}

/** Opens one function's form in the Contracts tab. */
async function openFunction(page: Page, contract: string, section: 'Read' | 'Write', fn: string) {
  const contracts = page.getByTestId('chain-contracts');
  await contracts
    .getByRole('listbox', { name: 'Protocol contracts' })
    .getByRole('option', { name: new RegExp(`^${contract}`) })
    .click();
  const detail = contracts.getByTestId('contract-detail');
  await expect(detail).toHaveAttribute('data-contract', contract);
  const details = detail
    .getByRole('region', { name: `${section} functions` })
    .locator(`details[data-fn="${fn}"]`)
    .first();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details.locator('form');
}

test('the chain explorer sends a protocol transaction from a form and shows it decoded', async ({ page, studio, errors }) => {
  test.setTimeout(240_000);
  await openStudio(page, studio);
  // The explorer gets the whole height (and the screenshots show it, not the Jobs panel).
  await page.keyboard.press('Control+j');
  await expect(page.getByRole('region', { name: 'Panel' })).toHaveCount(0);
  await page.keyboard.press('Control+Shift+Digit5');
  const side = page.getByTestId('chain-side-bar');
  const state = side.locator('[data-state]');
  await expect(state).toHaveAttribute('data-state', /running|starting|stopped/, { timeout: 30_000 });
  if ((await state.getAttribute('data-state')) === 'stopped') await page.getByRole('button', { name: 'Start Local Devnet' }).click();
  await expect(state).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  await expect(side).toContainText('OPEN');

  // Contracts, from the palette: DatanetRegistry.createDatanet from dev account #2.
  await runCommand(page, 'Chain: Open Contracts');
  await expect(page.getByRole('tab', { name: 'Contracts' })).toHaveAttribute('aria-selected', 'true');
  let form = await openFunction(page, 'DatanetRegistry', 'Write', 'createDatanet');
  await expect(form).toContainText('metadataURI');
  await expect(form).toContainText('string');
  await expect(form).toContainText('uint256');
  // A typo is caught beside its field before anything is sent.
  await form.getByLabel(/submissionStake/).fill('one OPEN');
  await expect(form).toContainText('uint256: a whole number');
  await form.getByLabel(/metadataURI/).fill('ipfs://e2e-datanet');
  await form.getByLabel(/submissionStake/).fill('1000000000000000000');
  await form.getByLabel(/from/).selectOption('2');
  await form.getByRole('button', { name: 'Send transaction' }).click();
  const written = form.getByTestId('write-result');
  await expect(written).toContainText('success', { timeout: 30_000 });
  await expect(written).toContainText('DatanetCreated');
  await written.scrollIntoViewIfNeeded();
  await snap(page, 'chain-contracts-write-dark');

  // The link opens the transaction tab: function, named arguments, the event, labels.
  await written.getByTestId('write-tx-link').click();
  const tx = page.getByTestId('chain-transaction');
  await expect(tx.getByTestId('tx-facts')).toContainText('success');
  const call = tx.getByTestId('tx-call');
  await expect(call).toContainText('createDatanet');
  await expect(call).toContainText('metadataURI');
  await expect(call).toContainText('ipfs://e2e-datanet');
  await expect(call).toContainText('submissionStake');
  await expect(call).toContainText('1000000000000000000');
  const events = tx.getByTestId('tx-events');
  await expect(events).toContainText('DatanetCreated');
  await expect(events).toContainText('owner');
  await expect(tx.getByTestId('tx-facts')).toContainText('dev account #2');
  await expect(tx.getByTestId('tx-facts')).toContainText('DatanetRegistry');
  await expect(tx.getByTestId('tx-facts')).toContainText('OPEN');
  await snap(page, 'chain-transaction-dark');

  // A revert from the form: a stake over uint96 is refused by the contract with its custom error.
  await page.getByRole('tab', { name: 'Contracts' }).click();
  form = await openFunction(page, 'DatanetRegistry', 'Write', 'createDatanet');
  await form.getByLabel(/submissionStake/).fill((2n ** 96n).toString());
  await form.getByRole('button', { name: 'Send transaction' }).click();
  const revert = form.getByTestId('revert-notice');
  await expect(revert).toHaveAttribute('data-error-name', 'StakeTooLarge', { timeout: 30_000 });
  await expect(revert).toContainText('stake');
  await expect(revert).toContainText((2n ** 96n).toString());
  await revert.scrollIntoViewIfNeeded();
  await snap(page, 'chain-contracts-revert-dark');
  // And a payable write with a value: WrappedOpen.withdraw more than wrapped names the balance.
  const withdraw = await openFunction(page, 'WrappedOpen', 'Write', 'withdraw');
  await withdraw.getByLabel(/amount/).fill('5');
  await withdraw.getByLabel(/from/).selectOption('7');
  await withdraw.getByRole('button', { name: 'Send transaction' }).click();
  await expect(withdraw.getByTestId('revert-notice')).toHaveAttribute('data-error-name', 'InsufficientWrapped', { timeout: 30_000 });
  await expect(withdraw.getByTestId('revert-notice')).toContainText('needed');
  // A payable write: WrappedOpen.deposit with a value in OPEN.
  const deposit = await openFunction(page, 'WrappedOpen', 'Write', 'deposit');
  await deposit.getByLabel(/value/).fill('-1');
  await expect(deposit).toContainText('not an amount of OPEN');
  await deposit.getByLabel(/value/).fill('2.5');
  await deposit.getByLabel(/from/).selectOption('6');
  await deposit.getByRole('button', { name: 'Send transaction' }).click();
  await expect(deposit.getByTestId('write-result')).toContainText('Deposited', { timeout: 30_000 });
  await deposit.getByTestId('write-tx-link').click();
  await expect(page.getByTestId('chain-transaction').getByTestId('tx-facts')).toContainText('2.5 OPEN');
  await expect(page.getByTestId('chain-transaction').getByTestId('tx-call')).toContainText('deposit');
  await page.getByRole('tab', { name: 'Contracts' }).click();
  // A read: the datanet just created.
  const count = await openFunction(page, 'DatanetRegistry', 'Read', 'datanetCount');
  await count.getByRole('button', { name: 'Read' }).click();
  await expect(count.getByTestId('read-result')).toContainText(/\d/);

  // The live feed: past events first, then new ones as blocks arrive; pause holds them back.
  await side.getByRole('listbox', { name: 'Explorer sections' }).getByRole('option', { name: 'Events' }).click();
  const feed = page.getByTestId('event-feed');
  // Live events can show before the past ones are read; count only once those are in.
  await expect(page.getByTestId('chain-events')).toHaveAttribute('data-loaded', 'true');
  await expect(feed.locator('tr[data-event-name="DatanetCreated"]').first()).toBeVisible();
  const deposits = feed.locator('tr[data-event-name="Deposited"]');
  const before = await deposits.count();
  await callStudio(studio, 'chain.write', { contract: 'WrappedOpen', functionName: 'deposit', args: [], value: '1.5', from: 4 });
  await expect(deposits).toHaveCount(before + 1);
  await expect(deposits.first()).toContainText('1500000000000000000');
  await page.getByRole('button', { name: 'Pause' }).click();
  await callStudio(studio, 'chain.write', { contract: 'WrappedOpen', functionName: 'deposit', args: [], value: '0.25', from: 4 });
  await expect(page.getByTestId('chain-events')).toContainText(/Paused · \d+ new/);
  await expect(deposits).toHaveCount(before + 1);
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(deposits).toHaveCount(before + 2);
  await snap(page, 'chain-events-dark');

  // Blocks: newest first; a click opens the block with its transactions.
  await runCommand(page, 'Chain: Open Blocks');
  const blockRows = page.getByTestId('chain-blocks').locator('tbody tr');
  await expect(blockRows.first()).toBeVisible();
  const first = Number(await blockRows.first().getAttribute('data-block'));
  const second = Number(await blockRows.nth(1).getAttribute('data-block'));
  expect(first).toBeGreaterThan(second);
  await blockRows.first().focus();
  await page.keyboard.press('ArrowDown');
  await expect(blockRows.nth(1)).toBeFocused();
  await snap(page, 'chain-blocks-keyboard-dark');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  const block = page.getByTestId('chain-block');
  await expect(block).toContainText('deposit');
  await expect(block).toContainText('WrappedOpen');

  // Transactions, from the side bar with the keyboard: the recent ones, decoded function names.
  const sections = side.getByRole('listbox', { name: 'Explorer sections' });
  await sections.getByRole('option', { name: 'Blocks' }).focus();
  await page.keyboard.press('ArrowDown');
  await expect(sections.getByRole('option', { name: 'Transactions' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chain-transactions')).toContainText('createDatanet');
  await page.getByLabel('Look up a transaction').fill('0x1234');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByTestId('chain-transactions')).toContainText('64 hex digits');

  // Accounts: the dev accounts with OPEN balances, and a lookup with inline validation.
  await runCommand(page, 'Chain: Open Accounts');
  const accounts = page.getByTestId('chain-accounts');
  await expect(accounts.getByTestId('dev-accounts').locator('tbody tr')).toHaveCount(10);
  await expect(accounts.getByTestId('dev-accounts')).toContainText('OPEN');
  await expect(accounts.getByTestId('dev-accounts')).toContainText('well-known key');
  await accounts.getByLabel('Look up an address').fill('0x12345');
  await accounts.getByRole('button', { name: 'Look up' }).click();
  await expect(accounts.getByTestId('account-lookup-hint')).toContainText('40 hex digits');
  const wopen = (await callStudio(studio, 'chain.status', {})).contracts.WrappedOpen!;
  await accounts.getByLabel('Look up an address').fill(wopen);
  await accounts.getByRole('button', { name: 'Look up' }).click();
  await expect(accounts.getByTestId('account-card')).toContainText('WrappedOpen');
  await expect(accounts.getByTestId('account-balance')).toContainText('OPEN');

  // A publication through the core's publishing service, then a reset (asked first) loses it.
  const datanetId = (await callStudio(studio, 'chain.read', { contract: 'DatanetRegistry', functionName: 'datanetCount', args: [] })).result as string;
  await callStudio(studio, 'publications.publish', {
    kind: 'datanet.version',
    from: 2,
    datanetId,
    merkleRoot: `0x${'ab'.repeat(32)}`,
    snapshotSha256: `0x${'cd'.repeat(32)}`,
    recordCount: 3,
  });
  await runCommand(page, 'Chain: Open Publications');
  const pubs = page.getByTestId('chain-publications');
  await expect(pubs.locator('tr[data-status="confirmed"]')).toHaveCount(1);
  await snap(page, 'chain-publications-confirmed-dark');

  // Snapshot and revert from the side bar.
  await side.getByRole('button', { name: 'Snapshot' }).click();
  await expect(side.getByRole('list', { name: 'Snapshots' }).getByRole('listitem')).toHaveCount(1);
  await side.getByRole('button', { name: 'Revert', exact: true }).click();
  await expect(side.getByRole('list', { name: 'Snapshots' })).toHaveCount(0);

  await side.getByRole('button', { name: 'Reset…' }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Reset the local devnet?' });
  await expect(dialog).toContainText('empties the chain');
  await snap(page, 'chain-reset-confirm-dark');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(pubs.locator('tr[data-status="confirmed"]')).toHaveCount(1);
  await side.getByRole('button', { name: 'Reset…' }).click();
  await dialog.getByRole('button', { name: 'Reset devnet' }).click();
  await expect(pubs.locator('tr[data-status="lost"]')).toHaveCount(1, { timeout: 60_000 });
  await expect(pubs).toContainText('its transaction is no longer on chain: republish');
  await expect(side.getByRole('listbox', { name: 'Explorer sections' })).toContainText('1 lost');

  // Every explorer view in both themes, after the reset (live data of the fresh chain).
  // Info toasts fade by themselves; an error toast would stay and fail here.
  await expect(page.locator('.toast')).toHaveCount(0, { timeout: 15_000 });
  await callStudio(studio, 'chain.write', { contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://after-reset', '5'], from: 1 });
  for (const theme of ['dark', 'light'] as const) {
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) await page.getByTestId('status-theme').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', theme);
    for (const [section, view] of [
      ['Blocks', 'blocks'],
      ['Transactions', 'transactions'],
      ['Accounts', 'accounts'],
      ['Contracts', 'contracts'],
      ['Events', 'events'],
      ['Publications', 'publications'],
    ] as const) {
      await side.getByRole('listbox', { name: 'Explorer sections' }).getByRole('option', { name: section }).click();
      await expect(page.getByTestId(`chain-${view}`)).toBeVisible();
      await expect(page.getByTestId(`chain-${view}`).getByRole('progressbar')).toHaveCount(0);
      await snap(page, `chain-${view}-${theme}`);
    }
    await side.getByRole('listbox', { name: 'Explorer sections' }).getByRole('option', { name: 'Transactions' }).click();
    await page.getByTestId('chain-transactions').locator('tbody tr').first().click();
    await expect(page.getByTestId('chain-transaction').getByTestId('tx-call')).toContainText('createDatanet');
    await snap(page, `chain-transaction-${theme}`);
    await side.getByRole('listbox', { name: 'Recent blocks' }).getByRole('option').first().click();
    await expect(page.getByTestId('chain-block')).toBeVisible();
    await snap(page, `chain-block-${theme}`);
  }
  expect(errors).toEqual([]);
});
