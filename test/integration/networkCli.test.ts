// `studio network`, `studio key` and `studio chain send --network --key`, run in-process through
// runCli (the same code the built CLI runs) against a second real Anvil acting as a remote
// network. stdin is not a terminal here, which is what makes --yes necessary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { deployProtocol } from '../../main/chain/devnet/deployProtocol';
import { devAccount } from '../../main/chain/keys/devKeys';
import { devnetChain } from '../../main/chain/devnet/devnetChain';
import { PASSPHRASE_ENV } from '../../main/cli/readSecret';
import { runStudioInProcess } from '../support/runStudioInProcess';

const CHAIN = 4343;
let anvil: AnvilProcess;
let home: string;
let files: string;
const privateKey = generatePrivateKey();

/** Runs one command; captures what it printed. */
const studio = (...argv: string[]) => runStudioInProcess(home, argv);

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-network-cli-'));
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-network-cli-files-'));
  anvil = await startAnvil({ chainId: CHAIN });
  const { addresses } = await deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: CHAIN });
  fs.writeFileSync(path.join(files, 'contracts.json'), JSON.stringify(addresses));
  fs.writeFileSync(path.join(files, 'key.txt'), `${privateKey}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(files, 'pass.txt'), 'file passphrase\n', { mode: 0o600 });
});

afterAll(async () => {
  delete process.env[PASSPHRASE_ENV];
  await anvil?.stop();
  for (const dir of [home, files]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('studio network / key / chain send --network', () => {
  it('adds, lists and checks a network; bad flags are usage errors', async () => {
    const added = await studio('network', 'add', 'remote', '--rpc', anvil.rpcUrl, '--chain-id', String(CHAIN), '--currency', 'OPEN', '--contracts', path.join(files, 'contracts.json'), '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(added.json()).toMatchObject({ name: 'remote', chainId: CHAIN, currencySymbol: 'OPEN' });
    expect((await studio('network', 'list', '--json')).json().map((n: { name: string }) => n.name)).toEqual(['devnet', 'remote']);
    const checked = await studio('network', 'check', 'remote');
    expect(checked.code, checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^remote: chain 4343 at http:\/\/127\.0\.0\.1:\d+, block \d+/);
    expect((await studio('network', 'add', 'x', '--rpc', anvil.rpcUrl, '--chain-id', 'ten')).code).toBe(2);
    const badUrl = await studio('network', 'add', 'x', '--rpc', 'localhost:8545', '--chain-id', '10', '--json');
    expect(badUrl.code).toBe(1);
    expect(badUrl.json().error.message).toMatch(/params\.rpcUrl/);
  });

  it('imports a key from a file with the passphrase from the environment, and never prints it', async () => {
    const missing = await studio('key', 'import', '--private-key-file', path.join(files, 'key.txt'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/STUDIO_KEY_PASSPHRASE or pass --passphrase-file/);
    process.env[PASSPHRASE_ENV] = 'file passphrase';
    const imported = await studio('key', 'import', '--private-key-file', path.join(files, 'key.txt'), '--label', 'cli publisher', '--json');
    delete process.env[PASSPHRASE_ENV];
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.json()).toMatchObject({ address: privateKeyToAddress(privateKey), label: 'cli publisher' });
    const list = await studio('key', 'list');
    expect(list.stdout).toContain(privateKeyToAddress(privateKey));
    expect(list.stdout).toContain('cli publisher');
    for (const r of [imported, list]) expect(r.stdout + r.stderr).not.toMatch(new RegExp(privateKey.slice(2), 'i'));
    expect((await studio('key', 'import', privateKey)).code).toBe(2);
  });

  it('sends with the key only after showing the call and fee, and only with --yes when nobody can answer', async () => {
    const [key] = (await studio('key', 'list', '--json')).json() as { id: string; address: Address }[];
    const chain = devnetChain(CHAIN, anvil.rpcUrl);
    const client = createPublicClient({ chain, transport: http(anvil.rpcUrl) });
    const funder = createWalletClient({ account: devAccount(0, { chainId: CHAIN, devnetChainId: CHAIN, rpcUrl: anvil.rpcUrl }), chain, transport: http(anvil.rpcUrl) });
    await client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: key!.address, value: parseEther('1') }), pollingInterval: 100 });

    const send = ['chain', 'send', 'DatanetRegistry', 'createDatanet', 'ipfs://cli-remote', '0', '--network', 'remote', '--key', key!.id, '--passphrase-file', path.join(files, 'pass.txt')];
    const unconfirmed = await studio(...send);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/pass --yes/);
    expect(await client.getTransactionCount({ address: key!.address })).toBe(0);

    const sent = await studio(...send, '--yes', '--json');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stderr).toContain('Call        DatanetRegistry.createDatanet(string metadataURI, uint256 submissionStake)');
    expect(sent.stderr).toMatch(/metadataURI = "ipfs:\/\/cli-remote"/);
    expect(sent.stderr).toMatch(/Max fee {5}0\.\d+ OPEN/);
    const out = sent.json();
    expect(out.prepared).toMatchObject({ network: 'remote', chainId: CHAIN, from: key!.address });
    expect(out.sent).toMatchObject({ status: 'success', result: '1', events: [{ eventName: 'DatanetCreated' }] });
    expect(await client.getTransactionCount({ address: key!.address })).toBe(1);

    const wrong = path.join(files, 'wrong.txt');
    fs.writeFileSync(wrong, 'not it');
    const refused = await studio(...send.slice(0, -1), wrong, '--yes', '--json');
    expect(refused.json().error).toMatchObject({ code: 'KEY_PASSPHRASE_INCORRECT' });
  });

  it('removes the key and the network', async () => {
    const [key] = (await studio('key', 'list', '--json')).json() as { id: string }[];
    expect((await studio('key', 'remove', key!.id)).code).toBe(0);
    expect((await studio('key', 'list', '--json')).json()).toEqual([]);
    expect((await studio('network', 'remove', 'remote')).code).toBe(0);
    expect((await studio('network', 'remove', 'devnet', '--json')).json().error.code).toBe('CHAIN_INVALID_ARGUMENT');
  });
});
