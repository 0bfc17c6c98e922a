// `studio attribution epochs|settle|claims|claim`, run in-process through runCli (the code the
// built CLI runs) against the workspace's real detached Anvil devnet. Inferences are recorded
// through the ledger's function, as the attribution does. Tests run in order.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPublicClient, http } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordInference } from '../../main/attribution/inferenceLedger';
import { isPidAlive, readDevnetFile } from '../../main/chain/devnet/devnetFile';
import { demoContributors } from '../../main/chain/keys/demoContributorKeys';
import { runStudioInProcess } from '../support/runStudioInProcess';
import { StudioCore } from '../../main/core/studioCore';

let home: string;
const [A, B, C] = demoContributors().map((d) => d.address);

const studio = (...argv: string[]) => runStudioInProcess(home, argv);

function devnetClient() {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'))!;
  return createPublicClient({ transport: http(rec.rpcUrl) });
}

beforeAll(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-settle-cli-'));
});

afterAll(() => {
  const rec = readDevnetFile(path.join(home, 'workspaces', 'demo', 'chain'));
  if (rec && isPidAlive(rec.pid)) process.kill(rec.pid, 'SIGKILL');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('studio attribution settlement', () => {
  it('lists the open epoch, settles it and shows the posted batch', async () => {
    expect((await studio('devnet', 'start', '--json')).code).toBe(0);
    const core = StudioCore.open({ home, mode: 'embedded' });
    const datanet = { name: 'recipes', version: 1, root: `0x${'11'.repeat(32)}` };
    for (let i = 0; i < 3; i++) recordInference(core.workspace.db, { model: 'base', adapter: 'cli-lora', datanet, contributors: [{ address: A!, share: 0.5 }, { address: B!, share: 0.25 }, { address: C!, share: 0.25 }] });
    await core.close();

    const epochs = await studio('attribution', 'epochs', '--json');
    expect(epochs.code, epochs.stderr).toBe(0);
    expect(epochs.json()[0]).toMatchObject({ epoch: 1, status: 'open', models: [{ modelKey: 'cli-lora', inferenceCount: 3, feesWei: '30000000000000000', state: null, contributorCount: 3 }] });

    const bad = await studio('attribution', 'settle', '--epoch', 'x', '--json');
    expect(bad.code).not.toBe(0);
    const settled = await studio('attribution', 'settle', '--json');
    expect(settled.code, settled.stderr + settled.stdout).toBe(0);
    const m = settled.json().models[0];
    // contributorFeeBps is 7000 on the devnet: 70% of 0.03 OPEN.
    expect(m).toMatchObject({ modelKey: 'cli-lora', state: 'posted', poolWei: '21000000000000000', batchId: '1' });
    expect(m.contributors.find((c: { address: string }) => c.address === A).amountWei).toBe('10500000000000000');
    expect((await studio('attribution', 'epochs')).stdout).toMatch(/1 +closed +cli-lora +3 +0\.03 OPEN +posted +1/);
    expect((await studio('attribution', 'settle')).stdout).toMatch(/Epoch 2 has no attributed inferences/);
  }, 120_000);

  it('claims as the demo contributor, shows the balance change, and refuses a double claim before sending', async () => {
    const claims = await studio('attribution', 'claims', '--contributor', A!, '--json');
    expect(claims.json()).toMatchObject({ contributor: A, batches: [{ batchId: '1', amountWei: '10500000000000000', claimed: false }] });
    const claimed = await studio('attribution', 'claim', '--contributor', A!, '--json');
    expect(claimed.code, claimed.stderr + claimed.stdout).toBe(0);
    const c = claimed.json().claims[0];
    expect(c).toMatchObject({ batchId: '1', contributor: A, signer: A, receivedWei: '10500000000000000' });
    const nonce = await devnetClient().getTransactionCount({ address: A! });
    const again = await studio('attribution', 'claim', '--contributor', A!, '--batch', '1', '--json');
    expect(again.code).toBe(1);
    expect(again.json().error).toMatchObject({ code: 'CLAIM_REFUSED', details: { reason: 'AlreadyClaimed' } });
    expect(await devnetClient().getTransactionCount({ address: A! }), 'nothing was sent').toBe(nonce);
    const human = await studio('attribution', 'claim', '--contributor', B!, '--from', '3');
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/Claimed 0\.00525 OPEN from batch 1 for 0x[0-9a-fA-F]{40} \(signed by Anvil dev account #3/);
    // B never held OPEN: signed by a dev account, its balance goes from 0 to exactly its amount.
    expect(human.stdout).toMatch(/balance 0 OPEN -> 0\.00525 OPEN\n/);
    expect((await studio('attribution', 'claims', '--contributor', B!)).stdout).toMatch(/1 +1 +cli-lora +0\.00525 OPEN +yes/);
  }, 120_000);
});
