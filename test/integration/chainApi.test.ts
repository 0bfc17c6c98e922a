// The chain capability over the WebSocket API against a real Anvil and SQLite: one served core
// (and so one devnet) for the whole file, since CI has two cores. Tests run in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { createWalletClient, encodeFunctionData, type Address, http as httpTransport, keccak256, parseAbiItem, toHex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ApiCallError, ApiClient } from '../../main/api/apiClient';
import { methods, type MethodName, type MethodParams, type MethodResult } from '../../main/api/contract';
import { DecodedRevertSchema, TransactionPageSchema, type ChainStatus, type DecodedLog, type Publication, type TransactionListItem } from '../../main/api/chainSchemas';
import { ChainExplorer } from '../../main/chain/explorer/chainExplorer';
import { DEV_ACCOUNTS } from '../../main/chain/keys/devKeys';
import { devnetChain } from '../../main/chain/devnet/devnetChain';
import { rpcCall } from '../../main/chain/devnet/anvilProcess';
import { mine } from '../../main/chain/devnet/devnetControl';
import { listTransactions, MAX_ROUNDS } from '../../main/chain/explorer/listTransactions';
import { insertPending } from '../../main/chain/publishing/publicationsRepository';
import { protocolArtifacts } from '../../contracts/generated/index.js';
import { connectClient, startServer } from '../support/startServer';

// The core checks every event it emits against the contract (this file's core runs in-process).
process.env.STUDIO_VALIDATE_EVENTS = '1';
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-chain-api-'));
let ctx: Awaited<ReturnType<typeof startServer>>;
let client: Pick<ApiClient, 'call' | 'on'>;
let socket: WebSocket;
const chainLogs: DecodedLog[] = [];
const blockEvents: number[] = [];
const statuses: ChainStatus[] = [];
/** When each chain.status event arrived (ms), beside statuses. */
const statusTimes: number[] = [];

/** Resolves with the first status event matching `pred` (or the current status if it does). */
async function statusWhere(pred: (s: ChainStatus) => boolean, timeoutMs = 60_000): Promise<ChainStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await client.call('chain.status', {});
    if (pred(s)) return s;
    if (Date.now() > deadline) throw new Error(`chain status never matched; last: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function failure(p: Promise<unknown>): Promise<ApiCallError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApiCallError);
  return err as ApiCallError;
}

beforeAll(async () => {
  ctx = await startServer({ devnet: 'auto', home });
  const connected = await connectClient(ctx.server);
  socket = connected.socket;
  // Every result is checked against the contract's result schema: what the UI will rely on.
  client = {
    call: async <M extends MethodName>(m: M, p: MethodParams<M>): Promise<MethodResult<M>> => methods[m].result.parse(await connected.client.call(m, p)) as MethodResult<M>,
    on: connected.client.on.bind(connected.client),
  };
  client.on('chain.log', (l) => chainLogs.push(l));
  client.on('chain.block', (b) => blockEvents.push(b.number));
  client.on('chain.status', (s) => {
    statuses.push(s);
    statusTimes.push(Date.now());
  });
  await statusWhere((s) => s.running);
});

afterAll(async () => {
  socket?.close();
  await ctx?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const hash32 = (s: string) => keccak256(toHex(s));

/** An HTTP proxy in front of the devnet's RPC that counts round trips (a JSON-RPC batch is one). */
async function countingProxy(target: string): Promise<{ url: string; requests(): number; close(): Promise<void> }> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
        .then(async (r) => {
          res.writeHead(r.status, { 'content-type': 'application/json' });
          res.end(Buffer.from(await r.arrayBuffer()));
        })
        .catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests: () => requests, close: () => new Promise((r) => server.close(() => r())) };
}

/** Every transaction, paging chain.transactions (or `page`) back until nextBefore is null. */
async function allTransactions(page: (before: number | undefined) => Promise<{ transactions: TransactionListItem[]; nextBefore: number | null }>) {
  const all: TransactionListItem[] = [];
  let before: number | undefined;
  for (let pages = 1; ; pages++) {
    const p = await page(before);
    all.push(...p.transactions);
    if (p.nextBefore === null) return { all, pages };
    expect(p.nextBefore).toBeLessThan(before ?? Infinity);
    before = p.nextBefore;
  }
}

describe('chain API (serve mode, real Anvil)', () => {
  let datanetId: string;
  let published: Publication;

  it('starts the devnet with the core and deploys the protocol on the first start', async () => {
    const s = await client.call('chain.status', {});
    expect(s).toMatchObject({ running: true, state: 'running', chainId: 1337, currencySymbol: 'OPEN', managedBy: 'child' });
    expect(s.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(Object.keys(s.contracts).sort()).toEqual(
      ['AttributionLedger', 'DatanetRegistry', 'ModelRegistry', 'OpenGovernor', 'OpenTimelock', 'ProtocolParams', 'WrappedOpen'].sort(),
    );
    expect(s.deployment?.reason).toBe('first start');
    const info = await client.call('app.info', {});
    expect(info.chain.state).toBe('ready');
    expect(info.chain.label).toMatch(/block \d+/);
    expect(fs.existsSync(path.join(ctx.core.workspace.layout.chain, 'devnet.json'))).toBe(true);

    const contracts = await client.call('chain.contracts', {});
    expect(contracts.find((c) => c.name === 'DatanetRegistry')?.abi.some((i) => i.name === 'createDatanet')).toBe(true);
    const blocks = await client.call('chain.blocks', { limit: 3 });
    expect(blocks.blocks.map((b) => b.number)).toEqual([blocks.latest, blocks.latest - 1, blocks.latest - 2]);
  });

  it('labels accounts: dev keys as such, contracts by name, and rejects a bad address', async () => {
    const dev = await client.call('chain.account', { address: DEV_ACCOUNTS[1]!.address.toLowerCase() });
    expect(dev).toMatchObject({ address: DEV_ACCOUNTS[1]!.address, devAccountIndex: 1, isContract: false });
    expect(dev.label).toMatch(/dev account #1/);
    expect(dev.nonce).toBeGreaterThan(0); // it wrapped demo OPEN on the first start
    const s = await client.call('chain.status', {});
    const registry = await client.call('chain.account', { address: s.contracts.DatanetRegistry! });
    expect(registry).toMatchObject({ isContract: true, contractName: 'DatanetRegistry' });
    const bad = await failure(client.call('chain.account', { address: '0x1234' }));
    expect(bad.code).toBe('CHAIN_INVALID_ARGUMENT');
  });

  it('sends a protocol transaction through chain.write and decodes it in chain.transaction with its events', async () => {
    const out = await client.call('chain.write', { contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://demo', '0'], from: 1 });
    expect(out.status).toBe('success');
    datanetId = out.result as string;
    expect(out.events.map((e) => e.eventName)).toContain('DatanetCreated');

    const tx = await client.call('chain.transaction', { hash: out.hash });
    expect(tx).toMatchObject({
      status: 'success',
      from: DEV_ACCOUNTS[1]!.address,
      contractName: 'DatanetRegistry',
      call: { functionName: 'createDatanet', args: { metadataURI: 'ipfs://demo', submissionStake: '0' } },
      revert: null,
    });
    expect(tx.fromLabel).toMatch(/dev account #1/);
    expect(tx.gasUsed).toBeGreaterThan(21_000);
    const created = tx.events.find((e) => e.eventName === 'DatanetCreated');
    expect(created?.args).toMatchObject({ datanetId, owner: DEV_ACCOUNTS[1]!.address, metadataURI: 'ipfs://demo' });
    // Each field's Solidity type, keyed like args: the UI tells amounts (uint96 stake) from ids.
    expect(created?.argTypes).toEqual({ datanetId: 'uint256', owner: 'address', submissionStake: 'uint96', metadataURI: 'string' });
    expect(out.events.find((e) => e.eventName === 'DatanetCreated')?.argTypes).toEqual(created?.argTypes);

    const block = await client.call('chain.block', { number: tx.blockNumber! });
    expect(block.transactions.map((t) => [t.hash, t.functionName])).toContainEqual([out.hash, 'createDatanet']);
    const read = await client.call('chain.read', { contract: 'DatanetRegistry', functionName: 'getDatanet', args: [datanetId] });
    expect(read.result).toMatchObject({ owner: DEV_ACCOUNTS[1]!.address, metadataURI: 'ipfs://demo' });
    // The live feed saw the block and the event too.
    await expect.poll(() => chainLogs.some((l) => l.eventName === 'DatanetCreated' && l.transactionHash === out.hash), { timeout: 5_000 }).toBe(true);
    expect(blockEvents).toContain(tx.blockNumber);
  });

  it('names the argument at fault before anything is sent', async () => {
    const err = await failure(client.call('chain.write', { contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://x', 'lots'] }));
    expect(err.code).toBe('CHAIN_INVALID_ARGUMENT');
    expect(err.message).toMatch(/argument 2 "submissionStake" \(uint256\)/);
    const value = await failure(
      client.call('chain.write', { contract: 'WrappedOpen', functionName: 'deposit', args: [], value: '1.2.3' }),
    );
    expect(value.message).toMatch(/not an amount of OPEN/);
    const unknown = await failure(client.call('chain.read', { contract: 'Nope', functionName: 'x', args: [] }));
    expect(unknown.code).toBe('NOT_FOUND');
  });

  it('publishes a datanet version: a confirmed row with its transaction', async () => {
    published = await client.call('publications.publish', {
      kind: 'datanet.version',
      from: 1,
      datanetId,
      merkleRoot: hash32('root'),
      snapshotSha256: hash32('snapshot'),
      recordCount: 3,
    });
    expect(published).toMatchObject({ status: 'confirmed', published: true, chainId: 1337, contract: 'DatanetRegistry', functionName: 'commitVersion' });
    expect(published.txHash).toMatch(/^0x[0-9a-f]{64}$/);
    expect(published.result).toBe('1');
  });

  it('a reverted publication returns the decoded custom error and records nothing as published', async () => {
    const err = await failure(
      client.call('publications.publish', { kind: 'datanet.version', datanetId: 999, merkleRoot: hash32('r'), snapshotSha256: hash32('s'), recordCount: 1 }),
    );
    expect(err.code).toBe('CHAIN_REVERTED');
    expect(err.details).toMatchObject({ errorName: 'UnknownDatanet', args: ['999'], namedArgs: { datanetId: '999' }, signature: 'UnknownDatanet(uint256)' });
    const failedId = (err.details as { publicationId: string }).publicationId;
    const list = await client.call('publications.list', {});
    const failed = list.find((p) => p.id === failedId);
    expect(failed).toMatchObject({ status: 'failed', published: false, txHash: null, error: { code: 'CHAIN_REVERTED' } });
    expect(list.filter((p) => p.status === 'confirmed').map((p) => p.id)).toEqual([published.id]);

    // Invalid input never reaches the table.
    const before = list.length;
    const invalid = await failure(
      client.call('publications.publish', { kind: 'rewards.claim', batchId: 1, contributor: '0xnope', amount: '1', proof: [] } as never),
    );
    expect(invalid.code).toBe('INVALID_REQUEST');
    expect((await client.call('publications.list', {})).length).toBe(before);

    // chain.write reverts the same way.
    const w = await failure(client.call('chain.write', { contract: 'ModelRegistry', functionName: 'transferModel', args: [42, DEV_ACCOUNTS[2]!.address] }));
    expect(w.code).toBe('CHAIN_REVERTED');
    expect(w.details).toMatchObject({ errorName: 'UnknownModel', args: ['42'], namedArgs: { modelId: '42' }, signature: 'UnknownModel(uint256)' });
    // Several arguments: positional and by name, with the signature to tell overloads apart.
    const poor = await failure(client.call('chain.write', { contract: 'WrappedOpen', functionName: 'withdraw', args: ['5'], from: 5 }));
    expect(poor.details).toEqual({
      errorName: 'InsufficientWrapped',
      args: [DEV_ACCOUNTS[5]!.address, '0', '5'],
      namedArgs: { account: DEV_ACCOUNTS[5]!.address, balance: '0', needed: '5' },
      signature: 'InsufficientWrapped(address,uint256,uint256)',
      message: expect.any(String),
    });
    expect(DecodedRevertSchema.parse(poor.details)).toEqual(poor.details);
  });

  it('after kill -9 of Anvil the supervisor brings it back with its state and no publication is lost', async () => {
    await client.call('chain.snapshot', { label: 'gone with the process' });
    expect(await client.call('chain.snapshots', {})).toHaveLength(1);
    const before = await client.call('chain.status', {});
    // A row a crash left before its transaction was sent: settled as failed, nothing was sent.
    const orphan = insertPending(ctx.core.workspace.db, {
      kind: 'model.base',
      title: 'interrupted',
      chainId: 1337,
      contract: 'ModelRegistry',
      functionName: 'registerBaseModel',
      params: {},
    });
    await new Promise((r) => setTimeout(r, 1_600)); // past one periodic state dump
    process.kill(before.pid!, 'SIGKILL');
    const after = await statusWhere((s) => s.running && s.restarts === 1 && s.pid !== before.pid);
    expect(after.rpcUrl).toBe(before.rpcUrl);
    expect(after.contracts).toEqual(before.contracts);
    // Anvil's snapshots lived in the killed process's memory.
    expect(await client.call('chain.snapshots', {})).toEqual([]);
    const list = await client.call('publications.list', {});
    expect(list.find((p) => p.id === published.id)?.status).toBe('confirmed');
    expect(list.find((p) => p.id === orphan.id)).toMatchObject({ status: 'failed', error: { code: 'INTERRUPTED' } });
    const tx = await client.call('chain.transaction', { hash: published.txHash! });
    expect(tx.call?.functionName).toBe('commitVersion');
    const logs = await client.call('logs.recent', {});
    expect(logs.some((l) => l.source === 'chain' && /restarted it from its saved state/.test(l.message))).toBe(true);
  });

  it('a revert to a snapshot makes a later publication lost, not dropped', async () => {
    const { id } = await client.call('chain.snapshot', {});
    const base = await client.call('publications.publish', { kind: 'model.base', from: 4, filesHash: hash32('gpt2'), uri: 'hf://gpt2' });
    expect(base.status).toBe('confirmed');
    await client.call('chain.revert', { id });
    const row = (await client.call('publications.list', {})).find((p) => p.id === base.id);
    expect(row).toMatchObject({ status: 'lost', published: false, error: { code: 'CHAIN_TX_GONE' } });
    expect((await client.call('publications.list', { status: 'confirmed' })).map((p) => p.id)).toEqual([published.id]);
  });

  it('lists snapshots newest first with their head and label; a revert drops it and later ones', async () => {
    const a = await client.call('chain.snapshot', { label: 'before the datanet' });
    const head = (await client.call('chain.blocks', { limit: 1 })).latest;
    expect(a).toMatchObject({ id: expect.stringMatching(/^0x[0-9a-f]+$/), block: head, label: 'before the datanet' });
    expect(Date.parse(a.takenAt)).toBeGreaterThan(Date.now() - 60_000);
    const write = await client.call('chain.write', { contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://snap', '0'], from: 2 });
    const b = await client.call('chain.snapshot', {});
    const c = await client.call('chain.snapshot', { label: 'c' });
    expect(b.block).toBe(write.blockNumber);
    expect(b).not.toHaveProperty('label');
    expect((await client.call('chain.snapshots', {})).map((x) => x.id)).toEqual([c.id, b.id, a.id]);

    await client.call('chain.revert', { id: b.id });
    expect(await client.call('chain.snapshots', {})).toEqual([a]);
    // Anvil dropped c along with b.
    const gone = await failure(client.call('chain.revert', { id: c.id }));
    expect(gone.code).toBe('NOT_FOUND');
    expect(await client.call('chain.snapshots', {})).toEqual([a]);
  });

  it('a reset makes confirmed publications lost and redeploys the protocol', async () => {
    expect(await client.call('chain.snapshots', {})).toHaveLength(1);
    const s = await client.call('chain.reset', {});
    expect(await client.call('chain.snapshots', {})).toEqual([]);
    expect(s.running).toBe(true);
    expect(s.deployment?.reason).toBe('reset');
    const row = (await client.call('publications.list', {})).find((p) => p.id === published.id);
    expect(row).toMatchObject({ status: 'lost', published: false });
    const logs = await client.call('logs.recent', {});
    expect(logs.some((l) => l.level === 'warn' && l.message.includes(published.txHash!))).toBe(true);
  });

  it('stops, refuses explorer calls while stopped, and redeploys loudly when the saved state is gone', async () => {
    const stopped = await client.call('chain.stop', {});
    expect(stopped).toMatchObject({ running: false, state: 'stopped', rpcUrl: null });
    expect((await client.call('app.info', {})).chain.state).toBe('stopped');
    const err = await failure(client.call('chain.blocks', {}));
    expect(err.code).toBe('CHAIN_NOT_RUNNING');
    for (const m of ['chain.devAccounts', 'chain.transactions', 'chain.snapshots'] as const) {
      expect((await failure(client.call(m, {}))).code).toBe('CHAIN_NOT_RUNNING');
    }
    expect(fs.existsSync(path.join(ctx.core.workspace.layout.chain, 'devnet.json'))).toBe(false);
    // The protocol ABIs come from the generated artifacts: the forms need no running devnet.
    const abis = await client.call('chain.abis', {});
    expect(abis.map((a) => a.name).sort()).toEqual(Object.keys(protocolArtifacts).sort());
    expect(abis.find((a) => a.name === 'DatanetRegistry')!.abi.some((e) => e.type === 'function' && e.name === 'createDatanet')).toBe(true);

    fs.rmSync(path.join(ctx.core.workspace.layout.chain, 'anvil-state.json'));
    const started = await client.call('chain.start', {});
    expect(started.running).toBe(true);
    expect(started.deployment?.reason).toBe('state lost');
    const logs = await client.call('logs.recent', {});
    expect(logs.some((l) => l.level === 'warn' && /state was lost or reset/.test(l.message))).toBe(true);
    expect(statuses.some((s) => s.state === 'starting')).toBe(true);
  });
});

describe('explorer lists and the live head (same devnet, after the restart above)', () => {
  it('lists the dev accounts with the balance and nonce chain.account reports', async () => {
    const accounts = await client.call('chain.devAccounts', {});
    expect(accounts.map((a) => [a.index, a.address, a.label])).toEqual(DEV_ACCOUNTS.map((a) => [a.index, a.address, a.label]));
    for (const i of [0, 1, 5]) {
      const one = await client.call('chain.account', { address: DEV_ACCOUNTS[i]!.address });
      expect(accounts[i]).toMatchObject({ balance: one.balance, balanceFormatted: one.balanceFormatted, nonce: one.nonce });
    }
    expect(accounts[0]!.nonce).toBeGreaterThan(0); // it deployed the protocol
    expect(accounts[5]!.nonce).toBe(0);
  });

  it('lists transactions newest first with status, labels and decoded calls, page by page', async () => {
    const status = await client.call('chain.status', {});
    const ok = await client.call('chain.write', { contract: 'DatanetRegistry', functionName: 'createDatanet', args: ['ipfs://list', '0'], from: 1 });
    // A transaction mined reverted: chain.write simulates first, so send past it with a fixed gas limit.
    const wallet = createWalletClient({
      account: privateKeyToAccount(DEV_ACCOUNTS[5]!.privateKey),
      chain: devnetChain(status.chainId, status.rpcUrl!),
      transport: httpTransport(status.rpcUrl!),
    });
    const bad = await wallet.sendTransaction({
      to: status.contracts.WrappedOpen as Address,
      data: encodeFunctionData({ abi: [parseAbiItem('function withdraw(uint256 amount)')], args: [7n] }),
      gas: 100_000n,
    });
    await expect.poll(async () => (await client.call('chain.transaction', { hash: bad })).status, { timeout: 5_000 }).toBe('reverted');
    const detail = await client.call('chain.transaction', { hash: bad });
    expect(detail.revert).toMatchObject({
      errorName: 'InsufficientWrapped',
      namedArgs: { account: DEV_ACCOUNTS[5]!.address, balance: '0', needed: '7' },
      signature: 'InsufficientWrapped(address,uint256,uint256)',
    });

    const first = await client.call('chain.transactions', { limit: 2 });
    expect(first.transactions.map((t) => [t.hash, t.status, t.contractName, t.functionName])).toEqual([
      [bad, 'reverted', 'WrappedOpen', 'withdraw'],
      [ok.hash, 'success', 'DatanetRegistry', 'createDatanet'],
    ]);
    expect(first.transactions[1]).toMatchObject({
      blockNumber: ok.blockNumber,
      from: DEV_ACCOUNTS[1]!.address,
      fromLabel: DEV_ACCOUNTS[1]!.label,
      to: status.contracts.DatanetRegistry,
      toLabel: 'DatanetRegistry (protocol contract)',
      value: '0',
    });
    expect(first.nextBefore).toBe(ok.blockNumber);

    // All pages together hold every transaction of every block, once, newest first.
    const { all, pages } = await allTransactions((before) => client.call('chain.transactions', { limit: 3, ...(before !== undefined ? { before } : {}) }));
    const blocks = await client.call('chain.blocks', { limit: 100 });
    expect(blocks.blocks.at(-1)?.number).toBe(0);
    expect(all.length).toBe(blocks.blocks.reduce((n, b) => n + b.transactionCount, 0));
    expect(new Set(all.map((t) => t.hash)).size).toBe(all.length);
    expect(all.map((t) => t.blockNumber)).toEqual(all.map((t) => t.blockNumber).sort((a, b) => b - a));
    expect(pages).toBeGreaterThan(2);
    // Deployments have no `to` and are named by the contract they created.
    expect(all.filter((t) => t.to === null).map((t) => t.contractName)).toContain('DatanetRegistry');
    expect(await client.call('chain.transactions', { before: 0 })).toEqual({ transactions: [], nextBefore: null });
  });

  it('pages through thousands of empty blocks in a bounded number of round trips; chain.status follows the head', async () => {
    const status = await client.call('chain.status', {});
    const page = (explorerPage: (before?: number) => Promise<unknown>) => async (before: number | undefined) =>
      TransactionPageSchema.parse(await explorerPage(before));
    const before = await allTransactions(page((b) => client.call('chain.transactions', { limit: 5, ...(b !== undefined ? { before: b } : {}) })));
    const mark = statuses.length;
    await rpcCall(status.rpcUrl!, 'anvil_mine', [toHex(1_100)], 20_000); // ~1 s; more than mine()'s 2 s timeout allows on a slow CI
    const head = (await client.call('chain.blocks', { limit: 1 })).latest;
    // The status bar learns the new head from a pushed status, not by polling.
    await expect.poll(() => statuses.slice(mark).some((s) => s.block === head), { timeout: 3_000 }).toBe(true);

    const proxy = await countingProxy(status.rpcUrl!);
    try {
      const explorer = new ChainExplorer({ rpcUrl: proxy.url, chainId: status.chainId, contracts: status.contracts as Record<string, Address> });
      const perPage: number[] = [];
      const after = await allTransactions(
        page(async (b) => {
          const start = proxy.requests();
          const result = await listTransactions(explorer, { limit: 5, ...(b !== undefined ? { before: b } : {}) });
          perPage.push(proxy.requests() - start);
          return result;
        }),
      );
      expect(after.all).toEqual(before.all);
      // 1100 empty blocks on top, at most MAX_SCAN_BLOCKS (1024) scanned per page: the first comes back empty.
      expect(after.pages).toBeGreaterThan(before.pages);
      expect(perPage.length).toBe(after.pages);
      // The head, MAX_ROUNDS batches of headers, one batch of full blocks and receipts.
      expect(Math.max(...perPage)).toBeLessThanOrEqual(MAX_ROUNDS + 2);
    } finally {
      await proxy.close();
    }
  });

  it('pushes chain.status for a moving head at most once a second, ending on the newest head', async () => {
    const rpcUrl = (await client.call('chain.status', {})).rpcUrl!;
    const mark = statusTimes.length;
    const until = Date.now() + 1_100;
    while (Date.now() < until) {
      await mine(rpcUrl, 1);
      await new Promise((r) => setTimeout(r, 50));
    }
    const head = (await client.call('chain.blocks', { limit: 1 })).latest;
    await expect.poll(() => statuses.at(-1)?.block, { timeout: 2_500 }).toBe(head);
    const times = statusTimes.slice(mark);
    expect(times.length).toBeGreaterThanOrEqual(2);
    // One second apart at the core; a little less on arrival (socket jitter).
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThan(800);
  });
});
