// Remote networks, keys and two-step writes through the core's API, against a second real Anvil
// (chain 4242, the protocol deployed on it) standing in for a remote OP Stack network, a closed
// port, and a server that never answers. The workspace's own devnet stays off: remote sends must
// not need it. One Anvil for the whole file (CI has two cores); tests run in order.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createPublicClient, createWalletClient, http as viemHttp, keccak256, parseEther, toHex, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorData } from '../../main/api/apiError';
import { methods, type MethodName, type MethodParams, type MethodResult } from '../../main/api/contract';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { deployProtocol, type ProtocolAddresses } from '../../main/chain/devnet/deployProtocol';
import { DEV_ACCOUNTS, devAccount } from '../../main/chain/keys/devKeys';
import { devnetChain } from '../../main/chain/devnet/devnetChain';
import { insertPending, updatePublication } from '../../main/chain/publishing/publicationsRepository';
import { PassphraseKeystoreBackend } from '../../main/chain/keys/passphraseKeystoreBackend';
import { StudioCore } from '../../main/core/studioCore';

const REMOTE_CHAIN = 4242;
const PASS = 'remote passphrase';
let anvil: AnvilProcess;
/** Not tempDir(): that removes its folders after every test, and this one lives for the file. */
let home: string;
let core: StudioCore;
let contracts: ProtocolAddresses;
let silent: http.Server;
let silentUrl: string;
let closedUrl: string;
const privateKey = generatePrivateKey();
let keyId: string;

/** Calls the core as a transport would; results are checked against the contract's schema. */
async function call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
  const out = await core.request(method, params);
  if (!out.ok) throw Object.assign(new Error(out.error.message), { data: out.error });
  return methods[method].result.parse(out.result) as MethodResult<M>;
}

async function failure(p: Promise<unknown>): Promise<ApiErrorData> {
  const err = await p.then(
    () => undefined,
    (e: { data?: ApiErrorData }) => e,
  );
  expect(err?.data, 'expected the call to fail').toBeDefined();
  return err!.data!;
}

/** Plain viem on the remote chain as one of its dev accounts: the test's stand-in for other people. */
function remoteWallet(index: number) {
  const chain = devnetChain(REMOTE_CHAIN, anvil.rpcUrl);
  const account = devAccount(index, { chainId: REMOTE_CHAIN, devnetChainId: REMOTE_CHAIN, rpcUrl: anvil.rpcUrl });
  return createWalletClient({ account, chain, transport: viemHttp(anvil.rpcUrl) });
}
const remoteClient = () => createPublicClient({ chain: devnetChain(REMOTE_CHAIN, anvil.rpcUrl), transport: viemHttp(anvil.rpcUrl) });

beforeAll(async () => {
  anvil = await startAnvil({ chainId: REMOTE_CHAIN });
  // The protocol's operator deployed it on "their" network; the guard accepts dev keys here only
  // because the fixture names this chain as the one it owns.
  contracts = (await deployProtocol({ rpcUrl: anvil.rpcUrl, devnetChainId: REMOTE_CHAIN })).addresses;
  // A fast scrypt: the format is the same, the default cost is checked in keystoreV3.test.ts.
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-remote-'));
  core = StudioCore.open({ home, mode: 'embedded', keyBackend: new PassphraseKeystoreBackend({ n: 1 << 10, r: 8, p: 1 }) });
  silent = http.createServer(() => {
    // Accepts and never answers: a slow RPC.
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  silentUrl = `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedUrl = `http://127.0.0.1:${(probe.address() as net.AddressInfo).port}`;
  await new Promise((r) => probe.close(r));
});

afterAll(async () => {
  silent?.closeAllConnections();
  silent?.close();
  await core?.close();
  await anvil?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('remote networks', () => {
  it('adds a network, always lists the devnet first, and names the field of bad input', async () => {
    const added = await call('networks.add', { name: 'remote', rpcUrl: anvil.rpcUrl, chainId: REMOTE_CHAIN, currencySymbol: 'OPEN', contracts });
    expect(added).toMatchObject({ name: 'remote', builtIn: false, chainId: REMOTE_CHAIN, contracts });
    const list = await call('networks.list', {});
    expect(list[0]).toMatchObject({ name: 'devnet', builtIn: true, rpcUrl: null, chainId: 1337 });
    expect(list.map((n) => n.name)).toEqual(['devnet', 'remote']);

    expect((await failure(call('networks.add', { name: 'x', rpcUrl: 'ftp://host', chainId: 5 }))).message).toMatch(/params\.rpcUrl: an http:\/\/ or https:\/\/ URL/);
    expect((await failure(call('networks.add', { name: 'x', rpcUrl: 'not a url', chainId: 5 }))).message).toMatch(/params\.rpcUrl/);
    expect((await failure(call('networks.add', { name: 'x', rpcUrl: anvil.rpcUrl, chainId: 0 }))).message).toMatch(/params\.chainId/);
    expect((await failure(call('networks.add', { name: 'x', rpcUrl: anvil.rpcUrl, chainId: 1.5 }))).message).toMatch(/params\.chainId/);
    expect((await failure(call('networks.add', { name: 'Bad Name', rpcUrl: anvil.rpcUrl, chainId: 5 }))).message).toMatch(/params\.name/);
    expect(await failure(call('networks.add', { name: 'devnet', rpcUrl: anvil.rpcUrl, chainId: 5 }))).toMatchObject({ code: 'CHAIN_INVALID_ARGUMENT', details: { field: 'name' } });
    expect(await failure(call('networks.add', { name: 'x', rpcUrl: anvil.rpcUrl, chainId: 1337 }))).toMatchObject({ details: { field: 'chainId' } });
    expect(await failure(call('networks.add', { name: 'x', rpcUrl: anvil.rpcUrl, chainId: 5, contracts: { Nope: contracts.WrappedOpen } }))).toMatchObject({
      details: { field: 'contracts.Nope' },
    });
    expect(await failure(call('networks.add', { name: 'remote', rpcUrl: anvil.rpcUrl, chainId: REMOTE_CHAIN }))).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(call('networks.remove', { name: 'devnet' }))).toMatchObject({ code: 'CHAIN_INVALID_ARGUMENT' });
  });

  it('checks a network: the right chain answers; a wrong id, a closed port and a silent server fail clearly and quickly', async () => {
    expect(await call('networks.check', { name: 'remote' })).toMatchObject({ name: 'remote', chainId: REMOTE_CHAIN, reportedChainId: REMOTE_CHAIN });

    await call('networks.add', { name: 'wrong-id', rpcUrl: anvil.rpcUrl, chainId: 10 });
    const mismatch = await failure(call('networks.check', { name: 'wrong-id' }));
    expect(mismatch).toMatchObject({ code: 'CHAIN_ID_MISMATCH', details: { rpcUrl: anvil.rpcUrl, expected: 10, reported: REMOTE_CHAIN } });
    expect(mismatch.message).toContain(anvil.rpcUrl);
    expect(mismatch.message).toMatch(/reports chain id 4242.*chain 10/);

    await call('networks.add', { name: 'down', rpcUrl: closedUrl, chainId: 10 });
    let started = Date.now();
    const down = await failure(call('networks.check', { name: 'down' }));
    expect(down).toMatchObject({ code: 'CHAIN_RPC_UNREACHABLE', details: { rpcUrl: closedUrl } });
    expect(down.message).toMatch(/ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(3_000);

    await call('networks.add', { name: 'slow', rpcUrl: silentUrl, chainId: 10 });
    started = Date.now();
    const slow = await failure(call('networks.check', { name: 'slow', timeoutMs: 300 }));
    expect(slow).toMatchObject({ code: 'CHAIN_RPC_UNREACHABLE' });
    expect(slow.message).toContain(`The RPC at ${silentUrl} is unreachable (no answer within 300 ms)`);
    expect(Date.now() - started).toBeLessThan(3_000);

    for (const name of ['wrong-id', 'down', 'slow']) await call('networks.remove', { name });
    expect((await call('networks.list', {})).map((n) => n.name)).toEqual(['devnet', 'remote']);
  });
});

describe('keys and two-step writes on the remote network', () => {
  it('imports a key (address and label only come back) and funds it there', async () => {
    const key = await call('keys.import', { privateKey, label: 'remote publisher', passphrase: PASS });
    keyId = key.id;
    expect(key).toMatchObject({ address: privateKeyToAddress(privateKey), label: 'remote publisher', devAccount: false });
    const listed = await call('keys.list', {});
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toMatch(new RegExp(privateKey.slice(2), 'i'));
    const bad = await failure(call('keys.import', { privateKey: 'ab'.repeat(31), passphrase: PASS }));
    expect(bad.message).toMatch(/params\.privateKey/);
    expect(bad.message).not.toContain('ab'.repeat(31));

    const hash = await remoteWallet(0).sendTransaction({ to: key.address as Address, value: parseEther('5') });
    await remoteClient().waitForTransactionReceipt({ hash, pollingInterval: 100 });
  });

  it('prepares a protocol publication without sending, then confirms it with the passphrase and records it', async () => {
    const filesHash = keccak256(toHex('base model files'));
    const prepared = await call('chain.prepareWrite', {
      network: 'remote',
      contract: 'ModelRegistry',
      functionName: 'registerBaseModel',
      args: [filesHash, 'hf://remote/base'],
      from: keyId,
    });
    expect(prepared).toMatchObject({
      network: 'remote',
      chainId: REMOTE_CHAIN,
      from: privateKeyToAddress(privateKey),
      to: contracts.ModelRegistry,
      contractName: 'ModelRegistry',
      call: { functionName: 'registerBaseModel', args: { filesHash, uri: 'hf://remote/base' } },
      value: '0',
      publicationKind: 'model.base',
      simulatedResult: '1',
      fee: { currencySymbol: 'OPEN' },
    });
    expect(prepared.call.signature).toMatch(/^registerBaseModel\(bytes32 filesHash, string uri\)$/);
    expect(BigInt(prepared.fee.total)).toBeGreaterThan(0n);
    expect(prepared.fee.totalFormatted).toMatch(/ OPEN$/);
    expect(Date.parse(prepared.expiresAt)).toBeGreaterThan(Date.now());
    // Nothing was signed or sent, nothing recorded.
    expect(await remoteClient().getTransactionCount({ address: prepared.from as Address })).toBe(0);
    expect(await call('publications.list', {})).toEqual([]);

    expect(await failure(call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: 'not the passphrase' }))).toMatchObject({
      code: 'KEY_PASSPHRASE_INCORRECT',
    });
    const sent = await call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: PASS });
    expect(sent).toMatchObject({ status: 'success', network: 'remote', chainId: REMOTE_CHAIN, result: '1' });
    expect(sent.events.map((e) => e.eventName)).toContain('BaseModelRegistered');
    expect(sent.publication).toMatchObject({ kind: 'model.base', status: 'confirmed', published: true, chainId: REMOTE_CHAIN, txHash: sent.hash });
    expect(await call('publications.list', {})).toMatchObject([{ id: sent.publication!.id, status: 'confirmed' }]);
    const tx = await remoteClient().getTransaction({ hash: sent.hash as `0x${string}` });
    expect(tx.from.toLowerCase()).toBe(prepared.from.toLowerCase());
    expect(tx.gas.toString()).toBe(prepared.gasLimit);

    // A prepared write is sent at most once.
    expect(await failure(call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: PASS }))).toMatchObject({ code: 'CHAIN_PREPARED_EXPIRED' });
  });

  it('discards a prepared write: it can no longer be confirmed, and discarding again or an unknown id is fine', async () => {
    const prepared = await call('chain.prepareWrite', {
      network: 'remote',
      address: contracts.DatanetRegistry,
      abi: 'DatanetRegistry',
      functionName: 'createDatanet',
      args: ['ipfs://discarded', '0'],
      from: keyId,
    });
    const nonce = await remoteClient().getTransactionCount({ address: prepared.from as Address });
    expect(await call('chain.discardWrite', { preparedId: prepared.preparedId })).toEqual({ discarded: true });
    expect(await failure(call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: PASS }))).toMatchObject({ code: 'CHAIN_PREPARED_EXPIRED' });
    expect(await call('chain.discardWrite', { preparedId: prepared.preparedId })).toEqual({ discarded: false });
    expect(await call('chain.discardWrite', { preparedId: 'no-such-id' })).toEqual({ discarded: false });
    expect(await remoteClient().getTransactionCount({ address: prepared.from as Address })).toBe(nonce);
  });

  it('takes an address with a protocol ABI for a contract the network has not recorded', async () => {
    const prepared = await call('chain.prepareWrite', {
      network: 'remote',
      address: contracts.DatanetRegistry,
      abi: 'DatanetRegistry',
      functionName: 'createDatanet',
      args: ['ipfs://remote', '0'],
      from: keyId,
    });
    expect(prepared).toMatchObject({ publicationKind: null, to: contracts.DatanetRegistry, call: { args: { metadataURI: 'ipfs://remote', submissionStake: '0' } } });
    // Two confirms at once (a double click): one sends, the other is refused.
    const both = await Promise.allSettled([0, 1].map(() => call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: PASS })));
    const sent = both.find((r) => r.status === 'fulfilled')!.value;
    expect(sent).toMatchObject({ status: 'success', publication: null });
    expect((both.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.data).toMatchObject({ code: 'CONFLICT' });
    expect(await failure(call('chain.prepareWrite', { network: 'remote', abi: 'Nope', address: contracts.DatanetRegistry, functionName: 'x', from: keyId }))).toMatchObject({
      details: { field: 'abi' },
    });
    expect(await failure(call('chain.prepareWrite', { network: 'remote', contract: 'DatanetRegistry', functionName: 'getDatanet', args: [1], from: keyId }))).toMatchObject({
      details: { field: 'functionName' },
    });
    expect(await failure(call('chain.prepareWrite', { network: 'nowhere', contract: 'DatanetRegistry', functionName: 'createDatanet', args: [], from: keyId }))).toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it("refuses Anvil's dev keys on the remote network, even on loopback", async () => {
    const dev = await call('keys.import', { privateKey: DEV_ACCOUNTS[1]!.privateKey, passphrase: PASS });
    expect(dev).toMatchObject({ devAccount: true, label: DEV_ACCOUNTS[1]!.label });
    const refused = await failure(
      call('chain.prepareWrite', { network: 'remote', contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://dev', '0'], from: dev.id }),
    );
    expect(refused).toMatchObject({ code: 'DEV_KEY_REFUSED' });
    expect(refused.message).toContain(DEV_ACCOUNTS[1]!.address);
  });

  it('reports a revert decoded, at prepare and when the state moved before confirm, and records nothing as published', async () => {
    const root = keccak256(toHex('root'));
    const sha = keccak256(toHex('snapshot'));
    const early = await failure(call('chain.prepareWrite', { network: 'remote', contract: 'DatanetRegistry', functionName: 'commitVersion', args: [99, root, sha, 10], from: keyId }));
    expect(early).toMatchObject({ code: 'CHAIN_REVERTED', details: { errorName: 'UnknownDatanet', args: ['99'] } });

    // Someone else's datanet (#2) where our key is a curator, until the owner changes their mind.
    const owner = remoteWallet(2);
    const registry = { address: contracts.DatanetRegistry, abi: (await import('../../contracts/generated/index.js')).DatanetRegistryAbi } as const;
    const client = remoteClient();
    await client.waitForTransactionReceipt({ hash: await owner.writeContract({ ...registry, functionName: 'createDatanet', args: ['ipfs://theirs', 0n] }), pollingInterval: 100 });
    const me = privateKeyToAddress(privateKey);
    await client.waitForTransactionReceipt({ hash: await owner.writeContract({ ...registry, functionName: 'setCurator', args: [2n, me, true] }), pollingInterval: 100 });
    const prepared = await call('chain.prepareWrite', { network: 'remote', contract: 'DatanetRegistry', functionName: 'commitVersion', args: [2, root, sha, 10], from: keyId });
    expect(prepared.publicationKind).toBe('datanet.version');
    await client.waitForTransactionReceipt({ hash: await owner.writeContract({ ...registry, functionName: 'setCurator', args: [2n, me, false] }), pollingInterval: 100 });

    const late = await failure(call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: PASS }));
    expect(late).toMatchObject({ code: 'CHAIN_REVERTED', details: { errorName: 'NotCurator', args: ['2', me] } });
    const pubs = await call('publications.list', {});
    expect(pubs.filter((p) => p.kind === 'datanet.version')).toEqual([]);
    expect(pubs.filter((p) => p.published)).toHaveLength(1);
  });
});

describe('reconciling a remote network', () => {
  it('brings publications left pending by a crash up to date when the network is checked', async () => {
    const db = core.workspace.db;
    const row = { kind: 'model.base' as const, chainId: REMOTE_CHAIN, contract: 'ModelRegistry', functionName: 'registerBaseModel', params: {} };
    const neverSent = insertPending(db, { ...row, title: 'crashed before sending' });
    const sentThenCrashed = insertPending(db, { ...row, title: 'crashed while waiting' });
    const hash = await remoteWallet(0).sendTransaction({ to: contracts.WrappedOpen, value: 1n });
    await remoteClient().waitForTransactionReceipt({ hash, pollingInterval: 100 });
    updatePublication(db, sentThenCrashed.id, { txHash: hash });

    const checked = await call('networks.check', { name: 'remote' });
    expect(checked.publicationsUpdated).toBe(2);
    const byId = new Map((await call('publications.list', {})).map((p) => [p.id, p]));
    expect(byId.get(neverSent.id)).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    expect(byId.get(sentThenCrashed.id)).toMatchObject({ status: 'confirmed', published: true, txHash: hash });
    expect((await call('networks.check', { name: 'remote' })).publicationsUpdated).toBe(0);
  });
});

describe('the built-in devnet as a network', () => {
  it('needs the devnet running, then takes the same two steps, dev keys included', async () => {
    const dev = (await call('keys.list', {})).find((k) => k.devAccount)!;
    const params = { network: 'devnet', contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://local', '0'], from: dev.id };
    expect(await failure(call('chain.prepareWrite', params))).toMatchObject({ code: 'CHAIN_NOT_RUNNING' });
    const status = await call('chain.start', {});
    expect((await call('networks.list', {}))[0]).toMatchObject({ name: 'devnet', rpcUrl: status.rpcUrl, contracts: status.contracts });
    expect(await call('networks.check', { name: 'devnet' })).toMatchObject({ reportedChainId: 1337 });
    const prepared = await call('chain.prepareWrite', params);
    expect(prepared).toMatchObject({ network: 'devnet', chainId: 1337, from: DEV_ACCOUNTS[1]!.address, fromLabel: DEV_ACCOUNTS[1]!.label });
    expect(await call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase: PASS })).toMatchObject({ status: 'success', network: 'devnet' });
  });
});
