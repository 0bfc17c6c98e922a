import net from 'node:net';
import type { Page } from '@playwright/test';
import { createPublicClient, createWalletClient, http, keccak256, parseEther, toHex, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { deployProtocol, type ProtocolAddresses } from '../../main/chain/devnet/deployProtocol';
import { devAccount } from '../../main/chain/keys/devKeys';
import { devnetChain } from '../../main/chain/devnet/devnetChain';
import { expect, openStudio, snap, test } from './studioFixture';

// A second Anvil (chain 4242, the protocol deployed on it) stands in for a remote OP Stack
// network; a fresh key, funded there by one of its dev accounts, is imported through the UI and
// signs a protocol publication after the confirm dialog. The workspace's devnet stays as it is.
const REMOTE_CHAIN = 4242;
const PASSPHRASE = 'e2e remote passphrase';
const privateKey = generatePrivateKey();
const address = privateKeyToAddress(privateKey);
let anvil: AnvilProcess | undefined;
let contracts: ProtocolAddresses;
let closedUrl: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  anvil = await startAnvil({ chainId: REMOTE_CHAIN });
  // The operator of "their" network deployed the protocol with its own dev key.
  contracts = (await deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: REMOTE_CHAIN })).addresses;
  const chain = devnetChain(REMOTE_CHAIN, anvil.rpcUrl);
  const wallet = createWalletClient({
    account: devAccount(0, { chainId: REMOTE_CHAIN, devnetChainId: REMOTE_CHAIN, rpcUrl: anvil.rpcUrl }),
    chain,
    transport: http(anvil.rpcUrl),
  });
  const hash = await wallet.sendTransaction({ to: address as Address, value: parseEther('5') });
  await createPublicClient({ chain, transport: http(anvil.rpcUrl) }).waitForTransactionReceipt({ hash, pollingInterval: 100 });
  // A port nothing listens on: a network that is down.
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});

test.afterAll(async () => {
  await anvil?.stop();
});

async function runCommand(page: Page, title: string) {
  await page.keyboard.press('Control+Shift+P');
  await page.keyboard.type(title);
  await page.keyboard.press('Enter');
}

async function openWrite(page: Page, contract: string, fn: string) {
  const editor = page.getByTestId('chain-contracts');
  await editor
    .getByRole('listbox', { name: 'Protocol contracts' })
    .getByRole('option', { name: new RegExp(`^${contract}`) })
    .click();
  const details = editor.getByRole('region', { name: 'Write functions' }).locator(`details[data-fn="${fn}"]`).first();
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return details.locator('form');
}

async function addNetwork(page: Page, name: string, rpcUrl: string, chainId: string) {
  await runCommand(page, 'Chain: Add Network…');
  const form = page.getByRole('form', { name: 'Add network' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('RPC URL').fill(rpcUrl);
  await form.getByLabel('Chain id').fill(chainId);
  await form.getByRole('button', { name: 'Add network' }).click();
  await expect(form).toHaveCount(0);
}

test('a remote network: add and check it, import a key, and send a publication after reviewing the call and fee', async ({ page, studio, errors }) => {
  test.setTimeout(240_000);
  await openStudio(page, studio);
  await page.keyboard.press('Control+j');
  await page.keyboard.press('Control+Shift+Digit5');
  const side = page.getByTestId('chain-side-bar');
  await expect(side.locator('[data-state]')).toHaveAttribute('data-state', 'running', { timeout: 60_000 });
  const devnetChainId = (await side.locator('dd.mono').first().textContent())!.trim();

  // The devnet is always listed first, built in.
  const networks = page.getByTestId('networks');
  await expect(networks.locator('[data-network]').first()).toHaveAttribute('data-network', 'devnet');

  // The add form checks as it is typed, and the core's refusal lands beside its field.
  await runCommand(page, 'Chain: Add Network…');
  const form = page.getByRole('form', { name: 'Add network' });
  await expect(form.getByLabel('Name')).toBeFocused();
  await form.getByLabel('Name').fill('Remote Net');
  await expect(form).toContainText('lowercase letters');
  await form.getByLabel('Name').fill('remote');
  await form.getByLabel('RPC URL').fill('ftp://example.org');
  await expect(form).toContainText('An http:// or https:// URL');
  await form.getByLabel('RPC URL').fill(anvil!.rpcUrl);
  await form.getByLabel('Chain id').fill(devnetChainId);
  await expect(form).toContainText("local devnet's chain id");
  await form.scrollIntoViewIfNeeded();
  await snap(page, 'chain-add-network-dark');
  await form.getByLabel('Chain id').fill(String(REMOTE_CHAIN));
  await form.getByLabel('Currency symbol').fill('OPEN');
  await form.getByRole('button', { name: 'Add network' }).click();
  await expect(form).toHaveCount(0);
  const remote = networks.locator('[data-network="remote"]');
  await expect(remote).toContainText(`chain ${REMOTE_CHAIN}`);

  // A check shows latency and block; a network that is down says why.
  await remote.hover();
  await remote.getByRole('button', { name: 'Check network remote' }).click();
  await expect(remote.getByTestId('network-check-ok')).toContainText(/\d+ ms · block #\d+/);
  await addNetwork(page, 'down', closedUrl, '10');
  const down = networks.locator('[data-network="down"]');
  await down.hover();
  await down.getByRole('button', { name: 'Check network down' }).click();
  await expect(down.getByTestId('network-check-error')).toContainText('unreachable');

  // Import the funded key; the passphrase must be confirmed; the key is never shown again.
  await runCommand(page, 'Keys: Import Key…');
  const keyForm = page.getByRole('form', { name: 'Import key' });
  await expect(keyForm.getByLabel('Private key')).toBeFocused();
  await expect(keyForm.getByLabel('Private key')).toHaveAttribute('type', 'password');
  await keyForm.getByLabel('Private key').fill(privateKey);
  await keyForm.getByLabel('Label').fill('e2e publisher');
  await keyForm.getByLabel('Passphrase', { exact: true }).fill('short');
  await expect(keyForm).toContainText('At least 8 characters');
  await keyForm.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await keyForm.getByLabel('Confirm passphrase').fill(`${PASSPHRASE}!`);
  await expect(keyForm).toContainText('The two passphrases differ');
  await keyForm.scrollIntoViewIfNeeded();
  await snap(page, 'chain-import-key-dark');
  await keyForm.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await keyForm.getByRole('button', { name: 'Import key' }).click();
  await expect(keyForm).toHaveCount(0, { timeout: 30_000 });
  const keys = page.getByTestId('keys');
  await expect(keys).toContainText('e2e publisher');
  await expect(keys).toContainText(address);
  await expect(page.locator('input[type="password"]')).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText(privateKey.slice(2));
  await networks.scrollIntoViewIfNeeded();
  await snap(page, 'chain-networks-keys-dark');

  // ModelRegistry.registerBaseModel on the remote network: its address is not recorded there.
  await runCommand(page, 'Chain: Open Contracts');
  const write = await openWrite(page, 'ModelRegistry', 'registerBaseModel');
  const filesHash = keccak256(toHex('e2e remote base model'));
  await write.getByLabel(/filesHash/).fill(filesHash);
  await write.getByLabel(/uri/).fill('hf://e2e/remote-base');
  await write.getByLabel('network', { exact: true }).selectOption('remote');
  // Other specs on this serve may have stored keys too: pick ours by its label.
  const from = write.getByLabel(/^from/);
  await expect(from).toContainText('e2e publisher');
  await from.selectOption((await from.locator('option', { hasText: 'e2e publisher' }).getAttribute('value'))!);
  await write.getByRole('button', { name: 'Review transaction…' }).click();
  await expect(write).toContainText('An address: 0x and 40 hex digits');
  await write.getByLabel(/ModelRegistry on remote/).fill(contracts.ModelRegistry);
  await write.getByRole('button', { name: 'Review transaction…' }).click();

  const dialog = page.getByRole('dialog', { name: 'Send on remote?' });
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  const facts = dialog.getByTestId('prepared-facts');
  await expect(facts).toContainText(`chain ${REMOTE_CHAIN}`);
  await expect(facts).toContainText('e2e publisher');
  await expect(facts).toContainText(address);
  await expect(facts).toContainText('ModelRegistry');
  await expect(facts).toContainText('Gas limit');
  await expect(facts).toContainText('Max execution fee');
  await expect(dialog.getByTestId('prepared-total')).toContainText('OPEN');
  const call = dialog.getByTestId('prepared-call');
  await expect(call).toContainText('registerBaseModel');
  await expect(call).toContainText('filesHash');
  await expect(call).toContainText(filesHash);
  await expect(call).toContainText('hf://e2e/remote-base');
  await expect(call).toContainText('publishes model.base');
  await expect(dialog.getByTestId('prepared-expiry')).toContainText(/Quote valid for [45]:\d\d/);
  const passphrase = dialog.getByLabel(/Passphrase of/);
  await expect(passphrase).toBeFocused();
  await snap(page, 'chain-remote-confirm-dark');

  // A wrong passphrase is refused and can be typed again; the right one sends.
  await passphrase.fill('not the passphrase');
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('alert')).toContainText(/passphrase/i, { timeout: 30_000 });
  await expect(passphrase).toBeFocused();
  await expect(passphrase).toHaveValue('');
  await passphrase.fill(PASSPHRASE);
  await dialog.getByRole('button', { name: 'Confirm and send' }).click();
  await expect(dialog).toHaveCount(0, { timeout: 30_000 });
  const written = write.getByTestId('write-result');
  await expect(written).toContainText('success');
  await expect(written).toContainText('on remote');
  await expect(written).toContainText('BaseModelRegistered');

  // A revert at prepare: decoded, and nothing sent or recorded.
  const commit = await openWrite(page, 'DatanetRegistry', 'commitVersion');
  await commit.getByLabel(/datanetId/).fill('99');
  await commit.getByLabel(/merkleRoot/).fill(keccak256(toHex('root')));
  await commit.getByLabel(/snapshotSha256/).fill(keccak256(toHex('snapshot')));
  await commit.getByLabel(/recordCount/).fill('10');
  await commit.getByLabel('network', { exact: true }).selectOption('remote');
  await commit.getByLabel(/DatanetRegistry on remote/).fill(contracts.DatanetRegistry);
  await commit.getByRole('button', { name: 'Review transaction…' }).click();
  await expect(commit.getByTestId('revert-notice')).toHaveAttribute('data-error-name', 'UnknownDatanet', { timeout: 30_000 });
  await expect(commit.getByTestId('nothing-sent')).toContainText('nothing was signed or sent');

  // Light theme: the side bar and the dialog again; Escape discards the prepared write.
  await page.getByTestId('status-theme').click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const again = await openWrite(page, 'ModelRegistry', 'registerBaseModel');
  await again.getByLabel(/filesHash/).fill(keccak256(toHex('another model')));
  await again.getByLabel(/uri/).fill('hf://e2e/another');
  await again.getByLabel('network', { exact: true }).selectOption('remote');
  await again.getByLabel(/ModelRegistry on remote/).fill(contracts.ModelRegistry);
  await again.getByRole('button', { name: 'Review transaction…' }).click();
  await expect(dialog).toBeVisible({ timeout: 30_000 });
  await snap(page, 'chain-remote-confirm-light');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(again.getByTestId('write-cancelled')).toBeVisible();
  await expect(again.getByRole('button', { name: 'Review transaction…' })).toBeFocused();
  await networks.scrollIntoViewIfNeeded();
  await snap(page, 'chain-networks-keys-light');

  // Removing asks first; a key's keystore file is kept.
  await down.hover();
  await down.getByRole('button', { name: 'Remove network down' }).click();
  const removeNetwork = page.getByRole('alertdialog', { name: 'Remove network down?' });
  await removeNetwork.getByRole('button', { name: 'Remove network' }).click();
  await expect(down).toHaveCount(0);
  const keyRow = keys.locator('li', { hasText: 'e2e publisher' });
  await keyRow.hover();
  await keyRow.getByRole('button', { name: 'Remove key e2e publisher' }).click();
  const removeKey = page.getByRole('alertdialog', { name: 'Remove key e2e publisher?' });
  await expect(removeKey).toContainText('keys/removed/');
  await removeKey.getByRole('button', { name: 'Remove key' }).click();
  await expect(keys).not.toContainText('e2e publisher');
  await remote.hover();
  await remote.getByRole('button', { name: 'Remove network remote' }).click();
  await page.getByRole('alertdialog', { name: 'Remove network remote?' }).getByRole('button', { name: 'Remove network' }).click();
  await expect(remote).toHaveCount(0);
  expect(errors).toEqual([]);
});
