import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAnvilBinary } from '../anvilBinary.js';
import { AnvilStartError, rpcCall, startAnvil, type AnvilProcess } from '../anvilProcess.js';

const dir = mkdtempSync(path.join(tmpdir(), 'anvil-process-'));
const running: AnvilProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((a) => a.stop()));
  rmSync(dir, { recursive: true, force: true });
});

describe('startAnvil', () => {
  it('finds the binary from the npm platform package', () => {
    expect(statSync(resolveAnvilBinary()).isFile()).toBe(true);
  });

  it('starts on a free loopback port with the chain id asked for, and stops on request', async () => {
    const anvil = await startAnvil({ chainId: 4242 });
    running.push(anvil);
    expect(anvil.rpcUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(anvil.args).toContain('optimism');
    expect(await rpcCall<string>(anvil.rpcUrl, 'eth_chainId')).toBe('0x1092');
    const exit = await anvil.stop();
    expect(exit.requested).toBe(true);
    await expect(rpcCall(anvil.rpcUrl, 'eth_blockNumber')).rejects.toThrow();
  });

  it('mines on a timer in block-time mode', async () => {
    const anvil = await startAnvil({ blockTime: 1 });
    running.push(anvil);
    const first = BigInt(await rpcCall<string>(anvil.rpcUrl, 'eth_blockNumber'));
    await new Promise((r) => setTimeout(r, 2_200));
    const later = BigInt(await rpcCall<string>(anvil.rpcUrl, 'eth_blockNumber'));
    expect(later - first).toBeGreaterThanOrEqual(1n);
    await anvil.stop();
  });

  it('keeps blocks across a restart with --state, and after a kill with --state-interval', async () => {
    const statePath = path.join(dir, 'state.json');
    const a = await startAnvil({ statePath, stateIntervalSeconds: 1 });
    running.push(a);
    await rpcCall(a.rpcUrl, 'anvil_mine', ['0x7']);
    await a.stop(); // SIGTERM: Anvil dumps state on exit
    const b = await startAnvil({ statePath, stateIntervalSeconds: 1 });
    running.push(b);
    expect(BigInt(await rpcCall<string>(b.rpcUrl, 'eth_blockNumber'))).toBe(7n);

    await rpcCall(b.rpcUrl, 'anvil_mine', ['0x3']);
    await new Promise((r) => setTimeout(r, 2_500)); // let a periodic dump happen
    process.kill(b.pid, 'SIGKILL'); // no exit dump: only the periodic one can have saved it
    const exit = await b.exited;
    expect(exit.signal).toBe('SIGKILL');
    const c = await startAnvil({ statePath });
    running.push(c);
    expect(BigInt(await rpcCall<string>(c.rpcUrl, 'eth_blockNumber'))).toBe(10n);
    await c.stop();
  });

  it('reports a start failure with Anvil\'s own words', async () => {
    const err = await startAnvil({ extraArgs: ['--no-such-flag'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AnvilStartError);
    expect((err as AnvilStartError).details.logTail.join('\n')).toMatch(/no-such-flag/);
  });
});

describe('unpacked', () => {
  it('maps a path inside app.asar to the unpacked copy', async () => {
    const { unpacked } = await import('../anvilBinary.js');
    const inside = path.join('/opt/app/resources', 'app.asar', 'node_modules', 'x', 'bin', 'anvil');
    expect(unpacked(inside)).toBe(path.join('/opt/app/resources', 'app.asar.unpacked', 'node_modules', 'x', 'bin', 'anvil'));
    expect(unpacked('/usr/bin/anvil')).toBe('/usr/bin/anvil');
  });
});
