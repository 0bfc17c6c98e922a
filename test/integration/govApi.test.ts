// Governance over the WebSocket API against a real Anvil devnet (served core) and a second Anvil
// registered as a remote network: the guards the CLI's usage checks would otherwise hide (who may
// sign where, devnet-only time control), a revert at confirm time, and that governance writes
// record no publication. Tests run in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ApiCallError, type ApiClient } from '../../main/api/apiClient';
import { methods, type MethodName, type MethodParams, type MethodResult } from '../../main/api/contract';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { deployProtocol } from '../../main/chain/devnet/deployProtocol';
import { DEV_ACCOUNTS } from '../../main/chain/keys/devKeys';
import { connectClient, startServer } from '../support/startServer';

process.env.STUDIO_VALIDATE_EVENTS = '1';
const REMOTE_CHAIN = 4345;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-gov-api-'));
let ctx: Awaited<ReturnType<typeof startServer>>;
let socket: WebSocket;
let client: Pick<ApiClient, 'call'>;
let remote: AnvilProcess;

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
  client = {
    call: async <M extends MethodName>(m: M, p: MethodParams<M>): Promise<MethodResult<M>> => methods[m].result.parse(await connected.client.call(m, p)) as MethodResult<M>,
  };
  const deadline = Date.now() + 60_000;
  while (!(await client.call('chain.status', {})).running) {
    if (Date.now() > deadline) throw new Error('the devnet did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  remote = await startAnvil({ chainId: REMOTE_CHAIN });
  const { addresses } = await deployProtocol({ rpcUrl: remote.rpcUrl, devnetChainId: REMOTE_CHAIN });
  await client.call('networks.add', { name: 'remote', rpcUrl: remote.rpcUrl, chainId: REMOTE_CHAIN, currencySymbol: 'OPEN', contracts: addresses });
});

afterAll(async () => {
  socket?.close();
  await ctx?.stop();
  await remote?.stop();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('governance over the API', () => {
  it('refuses dev accounts off the devnet, a missing or double signer, and time control off the devnet', async () => {
    const offDevnet = await failure(client.call('gov.prepareWrite', { action: 'delegate', network: 'remote', devAccount: 1 }));
    expect(offDevnet.code).toBe('DEV_KEY_REFUSED');
    expect(offDevnet.message).toMatch(/on remote pick a stored key/);
    expect((await failure(client.call('gov.prepareWrite', { action: 'delegate' }))).code).toBe('CHAIN_INVALID_ARGUMENT');
    expect((await failure(client.call('gov.prepareWrite', { action: 'delegate', devAccount: 1, keyId: 'x' }))).code).toBe('CHAIN_INVALID_ARGUMENT');
    const advance = await failure(client.call('chain.advance', { network: 'remote', blocks: 1 }));
    expect(advance.code).toBe('DEVNET_ONLY');
    expect((await client.call('gov.params', { network: 'remote' })).params.attributionThresholdBps).toBe(1);
  });

  it('lists an included address once, labelled, beside the default accounts', async () => {
    const rows = await client.call('gov.votingPower', { include: [DEV_ACCOUNTS[5]!.address, DEV_ACCOUNTS[1]!.address] });
    expect(rows.map((r) => r.label)).toEqual(['dev account #0', 'dev account #1', 'dev account #2', 'dev account #3', 'dev account #5']);
  });

  it('a vote that became a double vote after it was prepared is refused at confirm, sending nothing', async () => {
    const prepared = await client.call('gov.prepareWrite', { action: 'propose', param: 'slashRatio', value: '4000', devAccount: 1 });
    expect(prepared).toMatchObject({ devAccount: 1, keyId: 'dev:1', contractName: 'OpenGovernor', call: { functionName: 'propose' } });
    const proposed = await client.call('chain.confirmWrite', { preparedId: prepared.preparedId });
    const id = proposed.result as string;
    await client.call('chain.advance', { blocks: 2 });
    const first = await client.call('gov.prepareWrite', { action: 'vote', proposalId: id, support: 'for', devAccount: 2 });
    const second = await client.call('gov.prepareWrite', { action: 'vote', proposalId: id, support: 'against', reason: 'changed my mind', devAccount: 2 });
    expect(second.call).toMatchObject({ functionName: 'castVoteWithReason', args: { reason: 'changed my mind' } });
    expect((await client.call('chain.confirmWrite', { preparedId: first.preparedId })).status).toBe('success');
    const head = (await client.call('chain.status', {})).block;
    const refused = await failure(client.call('chain.confirmWrite', { preparedId: second.preparedId }));
    expect(refused.code).toBe('CHAIN_REVERTED');
    expect(refused.details).toMatchObject({ errorName: 'GovernorAlreadyCastVote' });
    expect((await client.call('chain.status', {})).block).toBe(head);
    const [p] = (await client.call('gov.proposals', {})).proposals;
    expect(p).toMatchObject({ id, state: 'active', votesFormatted: { for: '100', against: '0' } });
    // Governance writes are no publications: nothing is recorded for them, sent or refused.
    expect(await client.call('publications.list', {})).toEqual([]);
  });
});
