// The devnet and chain commands of the built CLI (`npm run build:node` first), as a user runs
// them: real processes, a real detached Anvil, one Studio home for the file. Tests run in order.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiClient } from '../../main/api/apiClient';
import { createSocketTransport } from '../../main/api/socketTransport';
import { startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { isPidAlive, readDevnetFile, writeDevnetFile } from '../../main/chain/devnet/devnetFile';

const bin = path.resolve('bin/studio.mjs');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-chain-cli-'));
const chainDir = path.join(home, 'workspaces', 'demo', 'chain');
const others: AnvilProcess[] = [];

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

afterAll(async () => {
  // Whatever a failed test left running: the detached devnet of this home, and our own Anvils.
  const rec = readDevnetFile(chainDir);
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  await Promise.all(others.map((a) => a.stop()));
  fs.rmSync(home, { recursive: true, force: true });
});

describe('studio devnet and chain commands', () => {
  it('is built', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build:node` before the tests').toBe(true);
  });

  it('devnet start returns once the protocol is deployed and leaves the devnet running after the CLI exits', () => {
    const started = studio('devnet', 'start', '--json');
    expect(started.code, started.stderr).toBe(0);
    const s = started.json();
    expect(s).toMatchObject({ running: true, chainId: 1337, managedBy: 'detached' });
    expect(Object.keys(s.contracts)).toHaveLength(7);
    expect(isPidAlive(s.pid)).toBe(true);
    expect(readDevnetFile(chainDir)).toMatchObject({ pid: s.pid, rpcUrl: s.rpcUrl, chainId: 1337, mode: 'detached' });

    const status = studio('devnet', 'status', '--json');
    expect(status.code).toBe(0);
    expect(status.json()).toMatchObject({ running: true, rpcUrl: s.rpcUrl, chainId: 1337, contracts: s.contracts });
    expect(status.json().block).toBeGreaterThanOrEqual(s.block);
    // A second start finds it running instead of starting another.
    expect(studio('devnet', 'start', '--json').json().pid).toBe(s.pid);
  });

  it('chain call, send and logs print decoded results; mistakes and reverts exit non-zero with the reason', () => {
    expect(studio('chain', 'call', 'ProtocolParams', 'attributionThresholdBps', '--json').json()).toEqual({ result: 1 });
    const sent = studio('chain', 'send', 'DatanetRegistry', 'createDatanet', 'ipfs://cli', '0', '--from', '1', '--json');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.json()).toMatchObject({ status: 'success', result: '1', events: [{ contractName: 'DatanetRegistry', eventName: 'DatanetCreated' }] });
    const logs = studio('chain', 'logs', '--contract', 'DatanetRegistry', '--json').json();
    expect(logs).toMatchObject([{ eventName: 'DatanetCreated', args: { datanetId: '1', metadataURI: 'ipfs://cli' } }]);

    const bad = studio('chain', 'send', 'DatanetRegistry', 'createDatanet', 'ipfs://cli', 'many', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json().error).toMatchObject({ code: 'CHAIN_INVALID_ARGUMENT' });
    expect(bad.json().error.message).toMatch(/submissionStake/);
    const reverted = studio('chain', 'send', 'DatanetRegistry', 'setCurator', '7', '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', 'true', '--json');
    expect(reverted.code).toBe(1);
    expect(reverted.json().error).toMatchObject({ code: 'CHAIN_REVERTED', details: { errorName: 'UnknownDatanet', args: ['7'] } });
    const value = studio('chain', 'send', 'WrappedOpen', 'deposit', '--value', 'ten', '--json');
    expect(value.json().error.message).toMatch(/--value: "ten" is not an amount of OPEN/);
    const deposit = studio('chain', 'send', 'WrappedOpen', 'deposit', '--value', '2.5', '--from', '5', '--json').json();
    expect(deposit.events).toContainEqual(expect.objectContaining({ eventName: 'Deposited', args: expect.objectContaining({ amount: '2500000000000000000' }) }));
  });

  it('serve adopts the running devnet, the CLI writers are refused while it holds the workspace, and it leaves the devnet running', async () => {
    const rec = readDevnetFile(chainDir)!;
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home } });
    try {
      const { url } = JSON.parse(await new Promise<string>((resolve) => serve.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
      const socket = new WebSocket(`ws://127.0.0.1:${new URL(url).port}/api`, { headers: { authorization: `Bearer ${new URL(url).searchParams.get('token')}` } });
      await new Promise((resolve) => socket.once('open', resolve));
      const client = new ApiClient(createSocketTransport(socket as never));
      await expect.poll(async () => (await client.call('chain.status', {})).state, { timeout: 30_000 }).toBe('running');
      expect(await client.call('chain.status', {})).toMatchObject({ managedBy: 'adopted', pid: rec.pid, rpcUrl: rec.rpcUrl });
      // The datanet the CLI created is on the adopted chain.
      const read = await client.call('chain.read', { contract: 'DatanetRegistry', functionName: 'getDatanet', args: ['1'] });
      expect(read.result).toMatchObject({ metadataURI: 'ipfs://cli' });
      socket.close();

      const locked = studio('devnet', 'stop', '--json');
      expect(locked.code).toBe(1);
      expect(locked.json().error.code).toBe('WORKSPACE_LOCKED');
      expect(studio('devnet', 'status', '--json').json().running).toBe(true);
    } finally {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    expect(isPidAlive(rec.pid)).toBe(true);
  });

  it('devnet stop stops it and releases the workspace', () => {
    const pid = readDevnetFile(chainDir)!.pid;
    const stopped = studio('devnet', 'stop', '--json');
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.json()).toMatchObject({ running: false, state: 'stopped' });
    expect(isPidAlive(pid)).toBe(false);
    expect(fs.existsSync(path.join(chainDir, 'devnet.json'))).toBe(false);
    expect(studio('devnet', 'status', '--json').json()).toMatchObject({ running: false, rpcUrl: null, chainId: 1337 });
    const call = studio('chain', 'call', 'ProtocolParams', 'attributionThresholdBps', '--json');
    expect(call.code).toBe(1);
    expect(call.json().error.code).toBe('CHAIN_NOT_RUNNING');
    // The state was saved on stop: the next start finds the protocol without redeploying.
    const again = studio('devnet', 'start', '--json');
    expect(again.code, again.stderr).toBe(0);
    const logs = studio('chain', 'logs', '--contract', 'DatanetRegistry', '--json').json();
    expect(logs.map((l: { eventName: string }) => l.eventName)).toContain('DatanetCreated');
    expect(studio('devnet', 'stop', '--json').code).toBe(0);
  });

  it('when the adopted devnet dies, serve takes over from its saved state', async () => {
    const started = studio('devnet', 'start', '--json');
    expect(started.code, started.stderr).toBe(0);
    const detachedPid = started.json().pid as number;
    const serve = spawn(process.execPath, [bin, 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home } });
    try {
      const { url } = JSON.parse(await new Promise<string>((resolve) => serve.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
      const socket = new WebSocket(`ws://127.0.0.1:${new URL(url).port}/api`, { headers: { authorization: `Bearer ${new URL(url).searchParams.get('token')}` } });
      await new Promise((resolve) => socket.once('open', resolve));
      const client = new ApiClient(createSocketTransport(socket as never));
      await expect.poll(async () => (await client.call('chain.status', {})).managedBy, { timeout: 30_000 }).toBe('adopted');
      await new Promise((r) => setTimeout(r, 1_200)); // a periodic state dump
      process.kill(detachedPid, 'SIGKILL');
      await expect.poll(async () => { const st = await client.call('chain.status', {}); return `${st.managedBy} ${st.state}`; }, { timeout: 30_000 }).toBe('child running');
      const s = await client.call('chain.status', {});
      expect(s).toMatchObject({ running: true, restarts: 1 });
      expect(s.pid).not.toBe(detachedPid);
      const read = await client.call('chain.read', { contract: 'DatanetRegistry', functionName: 'getDatanet', args: ['1'] });
      expect(read.result).toMatchObject({ metadataURI: 'ipfs://cli' });
      socket.close();
    } finally {
      const exited = new Promise((r) => serve.once('exit', r));
      serve.kill('SIGTERM');
      await exited;
    }
    // Serve owned it after the take-over, so it stopped it on exit.
    expect(studio('devnet', 'status', '--json').json().running).toBe(false);
  });

  it('refuses the dev keys when the recorded RPC answers as another chain', async () => {
    // A stale devnet.json whose port now serves some other chain (id 10, OP mainnet's id).
    const foreign = await startAnvil({ chainId: 10 });
    others.push(foreign);
    writeDevnetFile(chainDir, {
      pid: foreign.pid,
      port: foreign.port,
      rpcUrl: foreign.rpcUrl,
      chainId: 1337,
      mode: 'detached',
      ownerPid: process.pid,
      statePath: path.join(chainDir, 'anvil-state.json'),
      startedAt: new Date().toISOString(),
    });
    const send = studio('chain', 'send', 'DatanetRegistry', 'createDatanet', 'ipfs://x', '0', '--json');
    expect(send.code).toBe(1);
    expect(send.json().error).toMatchObject({ code: 'DEV_KEY_REFUSED', details: { chainId: 10, devnetChainId: 1337 } });
    const call = studio('chain', 'call', 'ProtocolParams', 'attributionThresholdBps', '--json');
    expect(call.json().error.code).toBe('CHAIN_ID_MISMATCH');
    expect(studio('devnet', 'status', '--json').json()).toMatchObject({ running: false, state: 'error' });
    // devnet stop does not signal a process that is not our chain.
    expect(studio('devnet', 'stop', '--json').code).toBe(0);
    expect(isPidAlive(foreign.pid)).toBe(true);
  });
});
