// The chain capability over the WebSocket API against a real Anvil and SQLite: one served core
// (and so one devnet) for the whole file, since CI has two cores. Tests run in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { keccak256, toHex } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ApiCallError, ApiClient } from '../../main/api/apiClient';
import { methods, type MethodName, type MethodParams, type MethodResult } from '../../main/api/contract';
import type { ChainStatus, DecodedLog, Publication } from '../../main/api/chainSchemas';
import { DEV_ACCOUNTS } from '../../main/chain/devKeys';
import { insertPending } from '../../main/chain/publicationsRepository';
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
  client.on('chain.status', (s) => statuses.push(s));
  await statusWhere((s) => s.running);
});

afterAll(async () => {
  socket?.close();
  await ctx?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

const hash32 = (s: string) => keccak256(toHex(s));

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
    expect(err.details).toMatchObject({ errorName: 'UnknownDatanet', args: ['999'] });
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
    expect(w.details).toMatchObject({ errorName: 'UnknownModel', args: ['42'] });
  });

  it('after kill -9 of Anvil the supervisor brings it back with its state and no publication is lost', async () => {
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

  it('a reset makes confirmed publications lost and redeploys the protocol', async () => {
    const s = await client.call('chain.reset', {});
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
    expect(fs.existsSync(path.join(ctx.core.workspace.layout.chain, 'devnet.json'))).toBe(false);

    fs.rmSync(path.join(ctx.core.workspace.layout.chain, 'anvil-state.json'));
    const started = await client.call('chain.start', {});
    expect(started.running).toBe(true);
    expect(started.deployment?.reason).toBe('state lost');
    const logs = await client.call('logs.recent', {});
    expect(logs.some((l) => l.level === 'warn' && /state was lost or reset/.test(l.message))).toBe(true);
    expect(statuses.some((s) => s.state === 'starting')).toBe(true);
  });
});
