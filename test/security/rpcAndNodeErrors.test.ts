import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError } from '../../main/api/apiClient';
import { maskRpcUrl } from '../../main/api/redactSecrets';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { startServeProcess } from '../support/serveProcess';

/**
 * Issue 10, finding 12: RPC URLs with credentials were printed in clear, raw node errors reached
 * the user (`devnet revert junk`, `chain logs --from-block 999999999`) and a 20 kB argument was
 * echoed back whole. Replayed through the CLI and a serve process against a real detached Anvil.
 */
const SECRETS = ['hunter2', 'topsecret', '0123456789abcdef0123456789abcdef'];
const RPC = `https://alice:${SECRETS[0]}@127.0.0.1:9/v3/${SECRETS[2]}?apikey=${SECRETS[1]}`;
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-rpc-errors-'));
const chainDir = path.join(home, 'workspaces', 'demo', 'chain');
const LONG = `0x${'a'.repeat(20_000)}`;

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [path.resolve('bin/studio.mjs'), ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout + r.stderr, json: () => JSON.parse(r.stdout) };
}

const noSecret = (text: string) => {
  for (const s of SECRETS) expect(text).not.toContain(s);
};

beforeAll(() => {
  expect(studio('devnet', 'start', '--json').code).toBe(0);
});
afterAll(() => {
  const rec = readDevnetFile(chainDir);
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('RPC credentials, node errors and long arguments', () => {
  it('masks user, password, query values and key-like path segments; leaves plain URLs alone', () => {
    expect(maskRpcUrl(RPC)).toBe('https://***:***@127.0.0.1:9/v3/***?apikey=***');
    expect(maskRpcUrl('https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161')).toBe('https://mainnet.infura.io/v3/***');
    expect(maskRpcUrl('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545');
    expect(maskRpcUrl('https://rpc.openledger.xyz/mainnet')).toBe('https://rpc.openledger.xyz/mainnet');
  });

  it('the CLI stores the URL as given and never prints or logs the credentials', () => {
    const added = studio('network', 'add', 'probe', '--rpc', RPC, '--chain-id', '5', '--json');
    expect(added.code, added.out).toBe(0);
    expect(added.json().rpcUrl).toBe(maskRpcUrl(RPC));
    const outputs = [added.out];
    for (const args of [['network', 'list', '--json'], ['network', 'list'], ['network', 'check', 'probe', '--json'], ['network', 'check', 'probe']]) outputs.push(studio(...args).out);
    for (const o of outputs) noSecret(o);
    expect(outputs[1]).toContain('https://***:***@127.0.0.1:9/v3/***?apikey=***');
    const db = new Database(path.join(home, 'workspaces', 'demo', 'studio.db'), { readonly: true });
    expect((db.prepare(`SELECT rpc_url FROM networks WHERE name = 'probe'`).get() as { rpc_url: string }).rpc_url).toBe(RPC);
    db.close();
    const logs = path.join(home, 'workspaces', 'demo', 'logs');
    for (const f of fs.existsSync(logs) ? fs.readdirSync(logs) : []) noSecret(fs.readFileSync(path.join(logs, f), 'utf8'));
  });

  it('raw node errors become clear ones; a 20 kB argument is not echoed whole', () => {
    const junk = studio('devnet', 'revert', 'junk', '--json');
    expect(junk.code).toBe(1);
    expect(junk.json().error).toMatchObject({ code: 'NOT_FOUND' });
    expect(junk.json().error.message).toMatch(/^No snapshot "junk": snapshot ids are hex numbers like 0x1/);
    const logs = studio('chain', 'logs', '--from-block', '999999999', '--json');
    expect(logs.code).toBe(1);
    expect(logs.json().error).toMatchObject({ code: 'CHAIN_INVALID_ARGUMENT' });
    expect(logs.json().error.message).toMatch(/^fromBlock 999999999 is past the chain's latest block \(\d+\)\.$/);
    const long = studio('chain', 'call', 'WrappedOpen', 'balanceOf', LONG, '--json');
    expect(long.code).toBe(1);
    expect(long.json().error.message).toMatch(/not an address: an address has 40 hex digits after 0x; this has 20000/);
    expect(long.out.length).toBeLessThan(2000);
  });

  it('the API answers the same way, and masks networks too', async () => {
    const serve = await startServeProcess(home);
    const { client, socket } = await serve.connect();
    try {
      while (!(await client.call('chain.status', {})).running) await new Promise((r) => setTimeout(r, 100));
      const list = await client.call('networks.list', {});
      expect(list.find((n) => n.name === 'probe')?.rpcUrl).toBe(maskRpcUrl(RPC));
      const failure = (p: Promise<unknown>) =>
        p.then(
          () => {
            throw new Error('expected a failure');
          },
          (e: unknown) => e as ApiCallError,
        );
      const check = await failure(client.call('networks.check', { name: 'probe', timeoutMs: 2000 }));
      noSecret(JSON.stringify({ message: check.message, details: check.details }));
      expect((await failure(client.call('chain.revert', { id: 'junk' }))).message).toMatch(/^No snapshot "junk"/);
      expect((await failure(client.call('chain.logs', { fromBlock: 999_999_999 }))).code).toBe('CHAIN_INVALID_ARGUMENT');
      const long = await failure(client.call('chain.read', { contract: 'WrappedOpen', functionName: 'balanceOf', args: [LONG] }));
      expect(long.message.length).toBeLessThan(400);
      noSecret(JSON.stringify(await client.call('logs.recent', {})));
    } finally {
      socket.close();
      await serve.stop();
    }
  });
});
