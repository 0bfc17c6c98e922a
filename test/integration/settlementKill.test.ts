// A real kill of `studio attribution settle` (SIGKILL of the built CLI) while its fee payment and
// then its batch are sent but not yet mined, on a devnet mining a block a second so each transaction waits in
// the pool long enough to be killed over. Settling again must finish the epoch with exactly one
// payment and one batch each time, and nothing left in the model's pool.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createPublicClient, http, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributionLedgerAbi } from '../../contracts/generated/index.js';
import { recordInference } from '../../main/attribution/inferenceLedger';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { demoContributors } from '../../main/chain/keys/demoContributorKeys';
import { runStudioInProcess } from '../support/runStudioInProcess';
import { StudioCore } from '../../main/core/studioCore';
import { readSettings, writeSettings } from '../../main/workspace/settingsStore';

const bin = path.resolve('bin/studio.mjs');
let home: string;
const [A, B] = demoContributors().map((d) => d.address);
const datanet = { name: 'recipes', version: 1, root: `0x${'22'.repeat(32)}` };

const studio = (...argv: string[]) => runStudioInProcess(home, argv);

async function record(n: number): Promise<void> {
  const core = StudioCore.open({ home, mode: 'embedded' });
  for (let i = 0; i < n; i++) recordInference(core.workspace.db, { model: 'base', adapter: 'kill-lora', datanet, contributors: [{ address: A!, share: 0.7 }, { address: B!, share: 0.3 }] });
  await core.close();
}

/** Runs the built CLI's settle and SIGKILLs it once `ready` says the transaction is sent: in
 * the devnet's pool, not yet mined (a block a second leaves time to see it there). */
async function settleKilledWhen(ready: (db: Database.Database) => Promise<boolean>): Promise<void> {
  const child = spawn(process.execPath, [bin, 'attribution', 'settle', '--json'], { env: { ...process.env, STUDIO_HOME: home }, stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  const dbFile = path.join(home, 'workspaces', 'demo', 'studio.db');
  for (;;) {
    if (child.exitCode !== null) throw new Error(`settle ended (code ${child.exitCode}) before it could be killed`);
    const db = new Database(dbFile, { readonly: true });
    try {
      if (await ready(db)) break;
    } catch {
      // The tables may not be there yet at the very start.
    } finally {
      db.close();
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill('SIGKILL');
  await exited;
}

async function inPool(hash: string | null | undefined): Promise<boolean> {
  if (!hash) return false;
  const tx = await client().getTransaction({ hash: hash as `0x${string}` }).catch(() => null);
  const receipt = await client().getTransactionReceipt({ hash: hash as `0x${string}` }).catch(() => null);
  return tx !== null && receipt === null;
}

function client() {
  return createPublicClient({ transport: http(readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'))!.rpcUrl) });
}

async function ledgerState(ledger: Address, modelId: bigint) {
  const c = client();
  const paid = await c.getContractEvents({ address: ledger, abi: AttributionLedgerAbi, eventName: 'InferenceFeesPaid', args: { modelId }, fromBlock: 0n });
  return {
    payments: paid.length,
    batches: await c.readContract({ address: ledger, abi: AttributionLedgerAbi, functionName: 'batchCount' }),
    pool: await c.readContract({ address: ledger, abi: AttributionLedgerAbi, functionName: 'rewardPool', args: [modelId] }),
  };
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-settle-kill-'));
  const core = StudioCore.open({ home, mode: 'embedded' });
  const s = readSettings(core.workspace.db);
  writeSettings(core.workspace.db, { ...s, chain: { ...s.chain, blockTimeSeconds: 1 } });
  await core.close();
  expect((await studio('devnet', 'start', '--json')).code).toBe(0);
}, 120_000);

afterAll(() => {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'));
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('settle killed mid-flight', () => {
  it('resumes a kill while the fee payment is in flight, paying once', async () => {
    await record(3);
    await settleKilledWhen(async (db) => {
      const row = db.prepare('SELECT state, pay_tx FROM attribution_settlements WHERE epoch = 1').get() as { state: string; pay_tx: string } | undefined;
      return row?.state === 'paying' && (await inPool(row.pay_tx));
    });
    const resumed = await studio('attribution', 'settle', '--epoch', '1', '--json');
    expect(resumed.code, resumed.stdout).toBe(0);
    const m = resumed.json().models[0];
    expect(m).toMatchObject({ state: 'posted', inferenceCount: 3, batchId: '1' });
    const address = (await client().getContractEvents({ abi: AttributionLedgerAbi, eventName: 'AttributionBatchPosted', fromBlock: 0n }))[0]!.address;
    expect(await ledgerState(address, BigInt(m.onchainModelId))).toEqual({ payments: 1, batches: 1n, pool: 0n });
  }, 120_000);

  it('resumes a kill while the batch is in flight, posting once', async () => {
    await record(2);
    await settleKilledWhen(async (db) => {
      const row = db.prepare('SELECT state FROM attribution_settlements WHERE epoch = 2').get() as { state: string } | undefined;
      if (row?.state !== 'posting') return false;
      const sent = db.prepare("SELECT tx_hash FROM publications WHERE kind = 'attribution.batch' AND status = 'pending'").pluck().get() as string | undefined;
      return inPool(sent);
    });
    const resumed = await studio('attribution', 'settle', '--epoch', '2', '--json');
    expect(resumed.code, resumed.stdout).toBe(0);
    const m = resumed.json().models[0];
    expect(m).toMatchObject({ state: 'posted', inferenceCount: 2, batchId: '2' });
    const address = (await client().getContractEvents({ abi: AttributionLedgerAbi, eventName: 'AttributionBatchPosted', fromBlock: 0n }))[0]!.address;
    expect(await ledgerState(address, BigInt(m.onchainModelId))).toEqual({ payments: 2, batches: 2n, pool: 0n });
    // The publication the killed process recorded for the batch is the one confirmed; none failed.
    const db = new Database(path.join(home, 'workspaces', 'demo', 'studio.db'), { readonly: true });
    const rows = db.prepare("SELECT status, tx_hash FROM publications WHERE kind = 'attribution.batch' ORDER BY created_at").all() as { status: string; tx_hash: string }[];
    db.close();
    expect(rows.map((r) => r.status)).toEqual(['confirmed', 'confirmed']);
    expect(rows[1]!.tx_hash).toBe(m.postTx);
    const claims = (await studio('attribution', 'claims', '--contributor', A!, '--json')).json();
    expect(claims.batches.map((b: { batchId: string }) => b.batchId)).toEqual(['1', '2']);
  }, 120_000);
});
