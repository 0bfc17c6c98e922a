import type { Locator, Page } from '@playwright/test';
import { createPublicClient, createWalletClient, http, parseEther } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { deployProtocol } from '../../main/chain/devnet/deployProtocol';
import { devnetChain } from '../../main/chain/devnet/devnetChain';
import { devAccount } from '../../main/chain/keys/devKeys';
import { callStudio } from './studioApi';
import { expect, openStudio, snap, test } from './studioFixture';

const DEV_1 = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';

/** Confirms the prepared write on screen: the dialog shows the decoded call before anything is sent. */
async function confirmWrite(page: Page, call: string): Promise<void> {
  const dialog = page.getByTestId('prepared-write-dialog');
  await expect(dialog.getByTestId('prepared-call')).toContainText(call);
  await expect(dialog.getByTestId('prepared-facts')).toContainText('Max execution fee');
  await dialog.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(dialog).toBeHidden({ timeout: 30_000 });
}

async function expectSent(outcome: Locator): Promise<void> {
  await expect(outcome).toHaveAttribute('data-outcome', 'sent', { timeout: 30_000 });
  await expect(outcome).toContainText('success');
}

test('a proposal goes from wrap and delegate to an executed parameter change, seen in the view and the explorer', async ({ page, studio, errors }) => {
  test.setTimeout(240_000);
  await openStudio(page, studio);
  await page.keyboard.press('Control+Shift+Digit8');
  const side = page.getByTestId('governance-side-bar');
  await side.getByRole('option', { name: 'Protocol parameters' }).click();
  const view = page.getByTestId('governance');
  // The devnet starts with the window: the parameters appear once it has deployed.
  await expect(view.getByTestId('param-attributionThreshold')).toHaveText('1 bps · 0.01%', { timeout: 90_000 });
  await expect(view.getByTestId('gov-history').locator('tr[data-event="AttributionThresholdChanged"]')).toHaveCount(1);
  await expect(view.getByTestId('devnet-advance')).toContainText('devnet only');
  await view.getByRole('heading', { name: 'Governance', exact: true }).scrollIntoViewIfNeeded();
  await snap(page, 'governance-overview-dark');

  // Dev account #4 wraps OPEN (its first wrap delegates to itself), then delegates to #1.
  await view.getByLabel(/^Sign as/).selectOption('dev:4');
  await view.getByLabel('Amount OPEN').fill('30');
  await view.getByRole('button', { name: 'Wrap', exact: true }).click();
  await confirmWrite(page, 'WrappedOpen.deposit');
  const power = view.getByTestId('gov-power');
  const row4 = power.locator('tr[data-address="0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65"]');
  await expect(row4.getByTestId('power-wrapped')).toHaveText('30');
  await expect(row4.getByTestId('power-votes')).toHaveText('30');
  await view.getByLabel(/^Delegate votes to/).fill(DEV_1);
  await view.getByRole('button', { name: 'Delegate', exact: true }).click();
  await confirmWrite(page, 'WrappedOpen.delegate');
  await expectSent(view.getByTestId('power-outcome'));
  await expect(row4.getByTestId('power-votes')).toHaveText('0');
  await expect(power.locator(`tr[data-address="${DEV_1}"]`).getByTestId('power-votes')).toHaveText('130');
  await snap(page, 'governance-power-dark');

  // #1 proposes a new threshold; an out-of-range value is refused with the contract's error first.
  await view.getByLabel(/^Sign as/).selectOption('dev:1');
  const preview = view.getByTestId('gov-preview');
  await view.getByLabel(/^New value/).fill('10001');
  await expect(preview.getByTestId('revert-notice')).toHaveAttribute('data-error-name', 'BpsOutOfRange');
  await expect(view.getByRole('button', { name: 'Review proposal…' })).toBeDisabled();
  await view.getByLabel(/^New value/).fill('300');
  await view.getByLabel(/^Description/).fill('# Raise the attribution threshold to 3%\n\nFewer, **larger** shares: cheaper to settle.');
  await expect(preview).toContainText('ProtocolParams.setAttributionThreshold(uint16 newBps)');
  await expect(preview.getByTestId('gov-calldata')).toHaveText(/^0x5b924fc1/);
  await expect(preview.getByTestId('gov-description-preview').getByRole('heading')).toHaveText('Raise the attribution threshold to 3%');
  await expect(preview.getByTestId('gov-description-preview').locator('strong')).toHaveText('larger');
  await snap(page, 'governance-propose-dark');
  await view.getByRole('button', { name: 'Review proposal…' }).click();
  await snap(page, 'governance-review-dark');
  await confirmWrite(page, 'OpenGovernor.propose');
  const card = view.getByTestId('gov-proposal').filter({ hasText: 'Raise the attribution threshold to 3%' });
  await expect(card).toHaveAttribute('data-state', 'pending');

  // The devnet-only control opens voting; #1 votes with a reason, and a second vote is refused.
  await view.getByRole('button', { name: /^Open voting/ }).click();
  await expect(card).toHaveAttribute('data-state', 'active');
  await expect(card.getByTestId('proposal-left')).toContainText('voting closes in');
  await card.getByLabel('Reason').fill('Settlement costs dominate tiny shares.');
  await card.getByRole('button', { name: 'Vote' }).click();
  await confirmWrite(page, 'OpenGovernor.castVoteWithReason');
  await expect(card.getByTestId('votes-for')).toHaveText('130');
  await expect(card.getByTestId('quorum')).toHaveAttribute('data-reached', 'true');
  await card.getByRole('button', { name: 'Vote' }).click();
  const doubleVote = card.getByTestId('proposal-outcome').getByTestId('revert-notice');
  await expect(doubleVote).toHaveAttribute('data-error-name', 'GovernorAlreadyCastVote');
  await expect(doubleVote).toContainText('voter');
  await expect(card.getByTestId('proposal-outcome')).toContainText('nothing was signed, sent or recorded');
  await expect(page.getByTestId('prepared-write-dialog')).toBeHidden();
  await snap(page, 'governance-active-dark');

  // Voting closes, the proposal is queued; executing before the timelock delay is refused.
  await view.getByRole('button', { name: /^Close voting/ }).click();
  await expect(card).toHaveAttribute('data-state', 'succeeded');
  await card.getByRole('button', { name: 'Queue in timelock' }).click();
  await confirmWrite(page, 'OpenGovernor.queue');
  await expect(card).toHaveAttribute('data-state', 'queued');
  await expect(card.getByTestId('proposal-left')).toContainText('executable in');
  await card.getByRole('button', { name: 'Execute' }).click();
  await expect(card.getByTestId('proposal-outcome').getByTestId('revert-notice')).toHaveAttribute('data-error-name', 'TimelockUnexpectedOperationState');
  await view.getByRole('button', { name: /^Pass timelock/ }).click();
  await expect(card.getByTestId('proposal-left')).toContainText('executable now');
  await card.getByRole('button', { name: 'Execute' }).click();
  await confirmWrite(page, 'OpenGovernor.execute');
  await expect(card).toHaveAttribute('data-state', 'executed');

  // The view shows the new value and its history entry; the side bar agrees.
  await expect(view.getByTestId('param-attributionThreshold')).toHaveText('300 bps · 3.00%');
  const changes = view.getByTestId('gov-history').locator('tr[data-event="AttributionThresholdChanged"]');
  await expect(changes).toHaveCount(2);
  await expect(changes.first()).toContainText('attribution threshold 1 → 300 bps');
  await expect(side.getByTestId('side-threshold')).toHaveText('300 bps · 3.00%');
  await snap(page, 'governance-executed-dark');
  await page.getByTestId('status-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await card.scrollIntoViewIfNeeded();
  await snap(page, 'governance-executed-light');

  // The explorer shows the execute transaction with the ProtocolParams event it emitted.
  await changes.first().locator('[data-tx-hash]').click();
  const tx = page.getByTestId('chain-transaction');
  await expect(tx).toContainText('execute');
  await expect(tx).toContainText('AttributionThresholdChanged');
  await expect(tx).toContainText('300');
  await snap(page, 'governance-explorer-dark');
  expect(errors).toEqual([]);
});

// A second Anvil with the protocol stands in for a remote network: there a stored key signs, with
// its passphrase, and the devnet-only controls are not offered.
test('on a remote network a stored key signs with its passphrase and the devnet-only control is gone', async ({ page, studio, errors }) => {
  test.setTimeout(180_000);
  const REMOTE_CHAIN = 4246;
  const privateKey = generatePrivateKey();
  const address = privateKeyToAddress(privateKey);
  let remote: AnvilProcess | undefined;
  try {
    remote = await startAnvil({ chainId: REMOTE_CHAIN });
    const { addresses } = await deployProtocol({ rpcUrl: remote.rpcUrl, devnetChainId: REMOTE_CHAIN });
    const chain = devnetChain(REMOTE_CHAIN, remote.rpcUrl);
    const funder = createWalletClient({ account: devAccount(0, { chainId: REMOTE_CHAIN, devnetChainId: REMOTE_CHAIN, rpcUrl: remote.rpcUrl }), chain, transport: http(remote.rpcUrl) });
    const client = createPublicClient({ chain, transport: http(remote.rpcUrl) });
    await client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: address, value: parseEther('3') }), pollingInterval: 100 });
    await callStudio(studio, 'networks.add', { name: 'gov-remote', rpcUrl: remote.rpcUrl, chainId: REMOTE_CHAIN, currencySymbol: 'OPEN', contracts: addresses });
    await callStudio(studio, 'keys.import', { privateKey, label: 'gov voter', passphrase: 'gov e2e passphrase' });

    await openStudio(page, studio);
    await page.keyboard.press('Control+Shift+Digit8');
    await page.getByTestId('governance-side-bar').getByRole('option', { name: 'Voting power' }).click();
    const view = page.getByTestId('governance');
    await expect(view.getByTestId('param-attributionThreshold')).toBeVisible({ timeout: 90_000 });
    await view.getByLabel('Network', { exact: true }).selectOption('gov-remote');
    await expect(view.getByTestId('devnet-advance')).toHaveCount(0);
    const signer = view.getByLabel(/^Sign as/);
    await expect(signer.locator('option')).toHaveText([/^gov voter/]);
    const row = view.getByTestId('gov-power').locator(`tr[data-address="${address}"]`);
    await expect(row.getByTestId('power-wrapped')).toHaveText('0');

    await view.getByLabel('Amount OPEN').fill('1.5');
    await view.getByRole('button', { name: 'Wrap', exact: true }).click();
    const dialog = page.getByTestId('prepared-write-dialog');
    await expect(dialog).toContainText('goes to gov-remote');
    await expect(dialog.getByTestId('prepared-call')).toContainText('WrappedOpen.deposit');
    await dialog.getByLabel(/Passphrase of/).fill('gov e2e passphrase');
    await snap(page, 'governance-remote-confirm-dark');
    await dialog.getByRole('button', { name: 'Confirm and send' }).click();
    await expect(dialog).toBeHidden({ timeout: 30_000 });
    await expectSent(view.getByTestId('power-outcome'));
    await expect(row.getByTestId('power-wrapped')).toHaveText('1.5');
    await expect(row.getByTestId('power-votes')).toHaveText('1.5');
    expect(await client.getTransactionCount({ address })).toBe(1);
    expect(errors).toEqual([]);
  } finally {
    await remote?.stop();
  }
});
