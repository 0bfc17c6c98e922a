// `studio gov ...` and `studio devnet advance`, run in-process through runCli (the code the built
// CLI runs) against the workspace's real detached Anvil devnet, then against a second Anvil
// acting as a remote network with a stored key. Tests run in order: one proposal walks from
// propose to execute, and every refusal is checked to have sent nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicClient, createWalletClient, http, parseEther, type Address } from 'viem';
import { generatePrivateKey, privateKeyToAddress } from 'viem/accounts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { deployProtocol } from '../../main/chain/devnet/deployProtocol';
import { devnetChain } from '../../main/chain/devnet/devnetChain';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { DEV_ACCOUNTS, devAccount } from '../../main/chain/keys/devKeys';
import { runStudioInProcess } from '../support/runStudioInProcess';

const REMOTE_CHAIN = 4344;
let home: string;
let files: string;
let remote: AnvilProcess;
const privateKey = generatePrivateKey();

const studio = (...argv: string[]) => runStudioInProcess(home, argv);

/** The nonce of a dev account on the workspace devnet: a refused write must not have moved it. */
async function devnetNonce(index: number): Promise<number> {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'))!;
  const client = createPublicClient({ transport: http(rec.rpcUrl) });
  return client.getTransactionCount({ address: DEV_ACCOUNTS[index]!.address });
}

async function expectRefused(argv: string[], errorName: string, signer: number): Promise<void> {
  const before = await devnetNonce(signer);
  const r = await studio(...argv, '--from', String(signer), '--json');
  expect(r.code, r.stdout).toBe(1);
  expect(r.json().error).toMatchObject({ code: 'CHAIN_REVERTED', details: { errorName } });
  expect(await devnetNonce(signer), 'nothing was sent').toBe(before);
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-gov-cli-'));
  files = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-gov-cli-files-'));
  fs.writeFileSync(path.join(files, 'key.txt'), `${privateKey}\n`, { mode: 0o600 });
  fs.writeFileSync(path.join(files, 'pass.txt'), 'gov passphrase\n', { mode: 0o600 });
});

afterAll(async () => {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'));
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  await remote?.stop();
  for (const dir of [home, files]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('studio gov on the devnet', () => {
  let id: string;

  it('starts the devnet and reads the parameters with their history and the voting power', async () => {
    expect((await studio('devnet', 'start', '--json')).code).toBe(0);
    const params = await studio('gov', 'params', '--json');
    expect(params.code, params.stderr).toBe(0);
    expect(params.json()).toMatchObject({
      network: 'devnet',
      params: { attributionThresholdBps: 1, contributorFeeBps: 7000, modelOwnerFeeBps: 2000, treasuryFeeBps: 1000, slashTreasuryBps: 5000 },
      rules: { votingDelayBlocks: 1, votingPeriodBlocks: 50, quorumPercent: 4, timelockDelaySeconds: 60 },
    });
    expect(params.json().history.map((h: { eventName: string }) => h.eventName).sort()).toEqual(['AttributionThresholdChanged', 'FeeSplitChanged', 'SlashRatioChanged', 'TreasuryChanged']);
    expect((await studio('gov', 'params')).stdout).toMatch(/attributionThreshold {2}1 bps \(0\.01%\)/);
    const power = (await studio('gov', 'power', '--json')).json();
    expect(power[1]).toMatchObject({ address: DEV_ACCOUNTS[1]!.address, wrappedFormatted: '100', votesFormatted: '100', delegate: DEV_ACCOUNTS[1]!.address });
    expect(power[0]).toMatchObject({ wrapped: '0', delegate: null });
  });

  it('wraps, unwraps and delegates through the prepared-write flow', async () => {
    const wrapped = await studio('gov', 'wrap', '50', '--from', '4', '--json');
    expect(wrapped.code, wrapped.stderr).toBe(0);
    expect(wrapped.stderr).toContain('Call        WrappedOpen.deposit()');
    expect(wrapped.stderr).toMatch(/Value {7}50 OPEN/);
    expect(wrapped.json().sent).toMatchObject({ status: 'success', events: expect.arrayContaining([expect.objectContaining({ eventName: 'Deposited' })]) });
    expect((await studio('gov', 'unwrap', '10', '--from', '4', '--json')).json().sent.status).toBe('success');
    const delegated = await studio('gov', 'delegate', '--to', DEV_ACCOUNTS[1]!.address, '--from', '4', '--json');
    expect(delegated.json().sent.events.map((e: { eventName: string }) => e.eventName)).toContain('DelegateChanged');
    const power = (await studio('gov', 'power', '--json')).json();
    expect(power).toHaveLength(4);
    expect(power[1]).toMatchObject({ wrappedFormatted: '100', votesFormatted: '140' });
    const after = await studio('gov', 'delegate', '--from', '4', '--json');
    expect(after.json().prepared.call.args).toEqual({ delegatee: DEV_ACCOUNTS[4]!.address });
    await expectRefused(['gov', 'unwrap', '1000'], 'InsufficientWrapped', 4);
  });

  it('refuses a value out of range with the contract error and sends nothing', async () => {
    await expectRefused(['gov', 'propose', '--param', 'attributionThreshold', '--value', '10001'], 'BpsOutOfRange', 1);
    await expectRefused(['gov', 'propose', '--param', 'contributorFee', '--value', '9000'], 'FeeSplitTooLarge', 1);
    await expectRefused(['gov', 'propose', '--param', 'treasury', '--value', '0x0000000000000000000000000000000000000000'], 'ZeroTreasury', 1);
    const bad = await studio('gov', 'propose', '--param', 'quorum', '--value', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--param must be one of attributionThreshold/);
    expect((await studio('gov', 'propose', '--param', 'slashRatio', '--value', 'half', '--json')).json().error).toMatchObject({ code: 'CHAIN_INVALID_ARGUMENT' });
  });

  it('shows a dry run decoded back, proposes, and refuses the same proposal again', async () => {
    const args = ['gov', 'propose', '--param', 'attributionThreshold', '--value', '250', '--description', '# Raise the threshold\n\nTo 2.5%.'];
    const dry = await studio(...args, '--dry-run', '--json');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.json()).toMatchObject({ targetContract: 'ProtocolParams', decoded: { functionName: 'setAttributionThreshold', args: { newBps: 250 } }, current: '1', exists: false });
    const proposed = await studio(...args, '--from', '1', '--json');
    expect(proposed.code, proposed.stderr).toBe(0);
    id = proposed.json().sent.result as string;
    expect(id).toBe(dry.json().proposalId);
    await expectRefused([...args], 'GovernorUnexpectedProposalState', 2);
    const list = (await studio('gov', 'proposals', '--json')).json();
    expect(list.proposals[0]).toMatchObject({ id, state: 'pending', title: 'Raise the threshold', actions: [{ contractName: 'ProtocolParams', functionName: 'setAttributionThreshold' }] });
  });

  it('refuses a vote before the voting period, counts votes with a reason, and refuses a double vote', async () => {
    await expectRefused(['gov', 'vote', id, 'for'], 'GovernorUnexpectedProposalState', 1);
    const advanced = await studio('devnet', 'advance', '--blocks', '2', '--json');
    expect(advanced.json()).toMatchObject({ minedBlocks: 2, increasedSeconds: 0 });
    const voted = await studio('gov', 'vote', id, 'for', '--reason', 'fairer rewards', '--from', '1', '--json');
    expect(voted.code, voted.stderr).toBe(0);
    expect(voted.json().sent.events[0]).toMatchObject({ eventName: 'VoteCast', args: { support: 1, reason: 'fairer rewards' } });
    expect((await studio('gov', 'vote', id, 'abstain', '--from', '2', '--json')).code).toBe(0);
    await expectRefused(['gov', 'vote', id, 'against'], 'GovernorAlreadyCastVote', 1);
    const p = (await studio('gov', 'proposals', '--json')).json().proposals[0];
    expect(p).toMatchObject({ state: 'active', votesFormatted: { for: '100', against: '0', abstain: '100' }, quorumReached: true });
    expect(p.blocksLeft).toBeGreaterThan(40);
    expect((await studio('gov', 'vote', id, 'maybe')).code).toBe(2);
  });

  it('queues after the voting period, refuses execute before the timelock delay, executes after it', async () => {
    await expectRefused(['gov', 'queue', id], 'GovernorUnexpectedProposalState', 3);
    await studio('devnet', 'advance', '--blocks', '50');
    const queued = await studio('gov', 'queue', id, '--from', '3', '--json');
    expect(queued.code, queued.stderr).toBe(0);
    const p = (await studio('gov', 'proposals', '--json')).json().proposals[0];
    expect(p).toMatchObject({ state: 'queued' });
    expect(p.secondsLeft).toBeGreaterThan(0);
    await expectRefused(['gov', 'execute', id], 'TimelockUnexpectedOperationState', 3);
    const advanced = await studio('devnet', 'advance', '--blocks', '1', '--seconds', '61');
    expect(advanced.stdout).toMatch(/^Mined 1 block\(s\) after moving the clock 61 s/);
    const executed = await studio('gov', 'execute', id, '--from', '3', '--json');
    expect(executed.code, executed.stderr).toBe(0);
    expect(executed.json().sent.events.map((e: { eventName: string }) => e.eventName)).toContain('AttributionThresholdChanged');
    const params = (await studio('gov', 'params', '--json')).json();
    expect(params.params.attributionThresholdBps).toBe(250);
    expect(params.history[0]).toMatchObject({ eventName: 'AttributionThresholdChanged', args: { previousBps: 1, newBps: 250 } });
    expect((await studio('gov', 'proposals')).stdout).toMatch(/executed .*Raise the threshold/);
  });

  it('rejects bad arguments as usage errors', async () => {
    expect((await studio('devnet', 'advance')).code).toBe(2);
    expect((await studio('devnet', 'advance', '--blocks', '-1')).code).toBe(2);
    expect((await studio('gov', 'queue')).code).toBe(2);
    expect((await studio('gov', 'delegate', '--to', 'bob')).code).toBe(2);
    expect((await studio('gov', 'vote', '1', 'for', '--from', '12')).code).toBe(2);
  });
});

describe('studio gov on a remote network', () => {
  it('needs a stored key there, refuses the devnet-only controls, and sends with the key and --yes', async () => {
    remote = await startAnvil({ chainId: REMOTE_CHAIN });
    const { addresses } = await deployProtocol({ rpcUrl: remote.rpcUrl, devnetChainId: REMOTE_CHAIN });
    fs.writeFileSync(path.join(files, 'contracts.json'), JSON.stringify(addresses));
    const added = await studio('network', 'add', 'remote', '--rpc', remote.rpcUrl, '--chain-id', String(REMOTE_CHAIN), '--currency', 'OPEN', '--contracts', path.join(files, 'contracts.json'));
    expect(added.code, added.stderr).toBe(0);
    const pass = ['--passphrase-file', path.join(files, 'pass.txt')];
    expect((await studio('key', 'import', '--private-key-file', path.join(files, 'key.txt'), ...pass)).code).toBe(0);
    const [key] = (await studio('key', 'list', '--json')).json() as { id: string; address: Address }[];
    const chain = devnetChain(REMOTE_CHAIN, remote.rpcUrl);
    const client = createPublicClient({ chain, transport: http(remote.rpcUrl) });
    const funder = createWalletClient({ account: devAccount(0, { chainId: REMOTE_CHAIN, devnetChainId: REMOTE_CHAIN, rpcUrl: remote.rpcUrl }), chain, transport: http(remote.rpcUrl) });
    await client.waitForTransactionReceipt({ hash: await funder.sendTransaction({ to: key!.address, value: parseEther('5') }), pollingInterval: 100 });

    const devKey = await studio('gov', 'delegate', '--network', 'remote', '--from', '1');
    expect(devKey.code).toBe(2);
    expect(devKey.stderr).toMatch(/--network remote needs --key ID/);
    const advance = await studio('devnet', 'advance', '--blocks', '1', '--network', 'remote', '--json');
    expect(advance.json().error).toMatchObject({ code: 'DEVNET_ONLY' });
    const unconfirmed = await studio('gov', 'wrap', '2', '--network', 'remote', '--key', key!.id, ...pass);
    expect(unconfirmed.code).toBe(2);
    expect(await client.getTransactionCount({ address: key!.address })).toBe(0);

    const wrapped = await studio('gov', 'wrap', '2', '--network', 'remote', '--key', key!.id, ...pass, '--yes', '--json');
    expect(wrapped.code, wrapped.stderr).toBe(0);
    expect(wrapped.json().prepared).toMatchObject({ network: 'remote', from: privateKeyToAddress(privateKey), devAccount: null, contractName: 'WrappedOpen' });
    const power = (await studio('gov', 'power', '--network', 'remote', '--json')).json();
    expect(power).toEqual([expect.objectContaining({ address: privateKeyToAddress(privateKey), wrappedFormatted: '2', votesFormatted: '2' })]);
    const proposed = await studio('gov', 'propose', '--param', 'slashRatio', '--value', '4000', '--network', 'remote', '--key', key!.id, ...pass, '--yes', '--json');
    expect(proposed.code, proposed.stderr).toBe(0);
    const list = (await studio('gov', 'proposals', '--network', 'remote', '--json')).json();
    expect(list).toMatchObject({ network: 'remote', proposals: [{ state: 'pending', actions: [{ functionName: 'setSlashRatio', args: { newTreasuryBps: 4000 } }] }] });
    expect((await studio('gov', 'params', '--network', 'remote', '--json')).json().params.slashTreasuryBps).toBe(5000);
  });
});
