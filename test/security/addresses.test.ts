import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiCallError } from '../../main/api/apiClient';
import { addressProblem } from '../../main/api/checkAddress';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { startServeProcess, type ServeProcess } from '../support/serveProcess';

/**
 * Issue 10, finding 5: `studio chain send WrappedOpen transfer 0x70997970c51812dc3a010c7d01b50e0d17dc79C8 1`
 * succeeded although the mixed case is not the EIP-55 checksum. One rule (main/api/checkAddress)
 * now holds for CLI arguments, API params and forms; tested against a real detached Anvil.
 */
const WRONG_CASE = '0x70997970c51812dc3a010c7d01b50e0d17dc79C8';
const CHECKSUMMED = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const LOWER = CHECKSUMMED.toLowerCase();

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-addresses-'));
const chainDir = path.join(home, 'workspaces', 'demo', 'chain');

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [path.resolve('bin/studio.mjs'), ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

beforeAll(() => {
  const started = studio('devnet', 'start', '--json');
  expect(started.code, started.stderr).toBe(0);
  // Account #0 holds wrapped OPEN to transfer.
  expect(studio('chain', 'send', 'WrappedOpen', 'deposit', '--value', '1', '--json').code).toBe(0);
});
afterAll(() => {
  const rec = readDevnetFile(chainDir);
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('EIP-55 checksums', () => {
  it('the one rule: mixed case must be the checksum; all-lower and all-upper carry none', () => {
    expect(addressProblem(CHECKSUMMED)).toBeNull();
    expect(addressProblem(LOWER)).toBeNull();
    expect(addressProblem(`0x${CHECKSUMMED.slice(2).toUpperCase()}`)).toBeNull();
    expect(addressProblem(WRONG_CASE)).toMatch(/EIP-55 checksum/);
    expect(addressProblem('0x1234')).toMatch(/this has 4/);
  });

  it('studio chain send refuses a wrong checksum and sends nothing; the right one and lower case go through', () => {
    const before = studio('chain', 'call', 'WrappedOpen', 'balanceOf', CHECKSUMMED, '--json').json().result;
    const bad = studio('chain', 'send', 'WrappedOpen', 'transfer', WRONG_CASE, '1', '--json');
    expect(bad.code).toBe(1);
    expect(bad.json().error.code).toBe('CHAIN_INVALID_ARGUMENT');
    expect(bad.json().error.message).toMatch(/argument 1 "to" \(address\): .* EIP-55 checksum/);
    expect(studio('chain', 'call', 'WrappedOpen', 'balanceOf', CHECKSUMMED, '--json').json().result).toBe(before);
    for (const to of [CHECKSUMMED, LOWER]) {
      const ok = studio('chain', 'send', 'WrappedOpen', 'transfer', to, '1', '--json');
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      expect(ok.json().status).toBe('success');
    }
    expect(BigInt(studio('chain', 'call', 'WrappedOpen', 'balanceOf', CHECKSUMMED, '--json').json().result)).toBe(BigInt(before) + 2n);
  });

  describe('through the API (serve adopts the devnet)', () => {
    let serve: ServeProcess;
    beforeAll(async () => {
      serve = await startServeProcess(home);
      // Adopting the detached devnet happens after the server is up.
      const { client, socket } = await serve.connect();
      while (!(await client.call('chain.status', {})).running) await new Promise((r) => setTimeout(r, 100));
      socket.close();
    });
    afterAll(async () => {
      await serve?.stop();
    });

    it('chain.write, chain.read, chain.account and networks.add refuse the wrong checksum', async () => {
      const { client, socket } = await serve.connect();
      try {
        const refused = async (p: Promise<unknown>) => {
          const err = await p.then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(ApiCallError);
          expect((err as ApiCallError).message).toMatch(/EIP-55 checksum/);
          return (err as ApiCallError).code;
        };
        expect(await refused(client.call('chain.write', { contract: 'WrappedOpen', functionName: 'transfer', args: [WRONG_CASE, '1'] }))).toBe('CHAIN_INVALID_ARGUMENT');
        expect(await refused(client.call('chain.read', { contract: 'WrappedOpen', functionName: 'balanceOf', args: [WRONG_CASE] }))).toBe('CHAIN_INVALID_ARGUMENT');
        expect(await refused(client.call('chain.account', { address: WRONG_CASE }))).toBe('CHAIN_INVALID_ARGUMENT');
        expect(await refused(client.call('networks.add', { name: 'probe', rpcUrl: 'http://127.0.0.1:1', chainId: 5, contracts: { WrappedOpen: WRONG_CASE } }))).toBe('INVALID_REQUEST');
        expect((await client.call('chain.account', { address: LOWER })).address).toBe(CHECKSUMMED);
      } finally {
        socket.close();
      }
    });
  });
});
