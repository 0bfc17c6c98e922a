import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rpcCall, startAnvil, type AnvilProcess } from '../../main/chain/devnet/anvilProcess';
import { goodStatePath, isCompleteState, keepGoodState, repairStateFile } from '../../main/chain/devnet/anvilStateFile';
import { seededRandom } from './hostilePaths';

/**
 * Issue 10, finding 14: Anvil dumps the devnet's state file every second by rewriting it in place
 * (O_TRUNC, then write). A kill during a dump leaves it cut short; Anvil then refuses it and the
 * chain was started empty. Studio now keeps the last complete dump and falls back to it. Here the
 * real Anvil is killed (SIGKILL) at seeded random moments and right inside dumps, under load, and
 * every restart must come back with the chain.
 */
const SEED = Number(process.env.SEED ?? 14);
const KILLS = 8;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-state-kills-'));
const statePath = path.join(dir, 'anvil-state.json');
let anvil: AnvilProcess | undefined;

afterAll(async () => {
  await anvil?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const CONTRACTS = 150;
const addressOf = (i: number) => `0x${(0x5000 + i).toString(16).padStart(40, '0')}`;

/** Mines a block every few milliseconds until stopped: the chain keeps moving while it is killed. */
function load(url: string): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await rpcCall(url, 'anvil_mine', ['0x1']).catch(() => {});
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

async function killInsideADump(a: AnvilProcess): Promise<void> {
  // A dump is in progress while the file is shorter than the last complete one.
  let full = fs.existsSync(statePath) ? fs.statSync(statePath).size : 0;
  for (;;) {
    const size = fs.existsSync(statePath) ? fs.statSync(statePath).size : 0;
    if (full > 0 && size < full) break;
    full = Math.max(full, size);
    await new Promise((r) => setImmediate(r));
  }
  process.kill(a.pid, 'SIGKILL');
}

describe('the devnet state file under kills (real Anvil)', () => {
  it('a damaged file gives way to the last complete copy; one never kept is set aside', () => {
    const p = path.join(dir, 'unit.json');
    fs.writeFileSync(p, '{"block": 1}');
    expect(repairStateFile(p)).toEqual({ action: 'none' });
    expect(fs.readFileSync(goodStatePath(p), 'utf8')).toBe('{"block": 1}');
    fs.writeFileSync(p, '{"block": 2, "accounts": {"0x');
    const r = repairStateFile(p);
    expect(r).toMatchObject({ action: 'restored' });
    expect(fs.readFileSync(p, 'utf8')).toBe('{"block": 1}');
    expect(fs.readFileSync((r as { setAside: string }).setAside, 'utf8')).toBe('{"block": 2, "accounts": {"0x');
    fs.writeFileSync(p, '');
    fs.rmSync(goodStatePath(p));
    expect(repairStateFile(p)).toMatchObject({ action: 'unrecoverable' });
    expect(fs.existsSync(p)).toBe(false);
  });

  it(`${KILLS} SIGKILLs at random moments and inside dumps never cost the chain (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    anvil = await startAnvil({ statePath, stateIntervalSeconds: 1 });
    // A state of several MB, so a dump takes long enough to be caught in the middle.
    const code = `0x${'5b'.repeat(24_000)}`;
    for (let i = 0; i < CONTRACTS; i++) await rpcCall(anvil.rpcUrl, 'anvil_setCode', [addressOf(i), code]);
    await rpcCall(anvil.rpcUrl, 'anvil_mine', ['0x10']);
    while (!isCompleteState(statePath)) await new Promise((r) => setTimeout(r, 100));
    // What a watching Studio does every few seconds (DevnetService.tick).
    keepGoodState(statePath);

    let floor = 16;
    let cutShort = 0;
    for (let k = 0; k < KILLS; k++) {
      const stopLoad = load(anvil.rpcUrl);
      if (k % 2 === 0) await killInsideADump(anvil);
      else {
        await new Promise((r) => setTimeout(r, Math.floor(random() * 2500)));
        process.kill(anvil.pid, 'SIGKILL');
      }
      await anvil.exited;
      await stopLoad();
      if (!isCompleteState(statePath)) cutShort++;

      const repairs: string[] = [];
      anvil = await startAnvil({ statePath, stateIntervalSeconds: 1, onStateRepair: (r) => repairs.push(r.action) });
      const block = Number(BigInt(await rpcCall<string>(anvil.rpcUrl, 'eth_blockNumber')));
      const label = `kill ${k} (${k % 2 === 0 ? 'inside a dump' : 'random'}), repairs ${JSON.stringify(repairs)}`;
      expect(repairs, label).not.toContain('unrecoverable');
      expect(block, label).toBeGreaterThanOrEqual(floor);
      expect((await rpcCall<string>(anvil.rpcUrl, 'eth_getCode', [addressOf(CONTRACTS - 1), 'latest'])).length, label).toBe(code.length);
      floor = block;
      keepGoodState(statePath);
    }
    // The targeted kills did land inside dumps: without the kept copy those starts lose the chain.
    expect(cutShort).toBeGreaterThan(0);
  });
});
