import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blockNumber, mine, resetChain, revertTo, snapshot } from '../devnetControl.js';
import { superviseAnvil, type SupervisedAnvil } from '../superviseAnvil.js';
import type { AnvilProcess } from '../anvilProcess.js';

const dir = mkdtempSync(path.join(tmpdir(), 'supervise-'));
let devnet: SupervisedAnvil | undefined;
afterAll(async () => {
  await devnet?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('superviseAnvil and devnetControl', () => {
  it('restarts a killed Anvil on the same URL with its persisted blocks', async () => {
    let restarted: (a: AnvilProcess) => void = () => {};
    const back = new Promise<AnvilProcess>((r) => (restarted = r));
    devnet = await superviseAnvil(
      { statePath: path.join(dir, 'state.json'), stateIntervalSeconds: 1 },
      { onRestart: (a) => restarted(a) },
    );
    const url = devnet.current.rpcUrl;
    await mine(url, 5);
    await new Promise((r) => setTimeout(r, 2_500)); // one periodic state dump
    process.kill(devnet.current.pid, 'SIGKILL');
    const next = await back;
    expect(next.rpcUrl).toBe(url);
    expect(devnet.restarts).toBe(1);
    expect(await blockNumber(url)).toBe(5n);
  });

  it('snapshots, reverts and resets', async () => {
    const url = devnet!.current.rpcUrl;
    const id = await snapshot(url);
    await mine(url, 3);
    expect(await blockNumber(url)).toBe(8n);
    await revertTo(url, id);
    expect(await blockNumber(url)).toBe(5n);
    await expect(revertTo(url, id)).rejects.toThrow(/no snapshot/);
    await resetChain(url);
    expect(await blockNumber(url)).toBe(0n);
  });

  it('does not restart after stop()', async () => {
    const exit = await devnet!.stop();
    expect(exit.requested).toBe(true);
    await new Promise((r) => setTimeout(r, 600));
    expect(devnet!.restarts).toBe(1);
  });
});
