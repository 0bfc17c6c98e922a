// Benchmark (not a test): gas per attributed inference of settlement, through the app's own code
// (recordInference, settleEpoch, claimReward) on a real Anvil devnet started by the workspace's
// DevnetService. For 1, 100 and 10,000 inferences in an epoch (each split over 3 of 32 demo
// contributors, a fresh trio per inference, so the batch holds up to 32 leaves): the gas of
// payInferenceFees and postBatch (each one transaction per model per epoch, whatever the number
// of inferences), per inference, and of one claim. Registered as 'attribution-settlement'.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hash } from 'viem';
import { claimReward } from '../main/attribution/claimRewards';
import { recordInference } from '../main/attribution/inferenceLedger';
import { settleEpoch } from '../main/attribution/settleEpoch';
import { demoContributors } from '../main/chain/keys/demoContributorKeys';
import { PublishingService } from '../main/chain/publishing/publishingService';
import { StudioCore } from '../main/core/studioCore';

const SIZES = [1, 100, 10_000];

export async function attributionSettlement(): Promise<unknown> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-settlement-'));
  const core = StudioCore.open({ home, mode: 'embedded' });
  try {
    await core.chain.start();
    const db = core.workspace.db;
    const deps = { db, devnet: core.chain, publishing: new PublishingService(db, core.chain, () => {}) };
    const people = demoContributors();
    const datanet = { name: 'bench', version: 1, root: `0x${'77'.repeat(32)}` };
    // Registers the model once, outside the measured epochs.
    recordInference(db, { model: 'base', adapter: 'bench-lora', datanet, contributors: [{ address: people[0]!.address, share: 1 }] });
    await settleEpoch(deps);
    const rows = [];
    for (const n of SIZES) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const trio = [people[i % 32]!, people[(i + 7) % 32]!, people[(i + 19) % 32]!];
        recordInference(db, { model: 'base', adapter: 'bench-lora', datanet, contributors: [{ address: trio[0]!.address, share: 0.5 }, { address: trio[1]!.address, share: 0.3 }, { address: trio[2]!.address, share: 0.2 }] });
      }
      const recordMs = performance.now() - t0;
      const t1 = performance.now();
      const settled = await settleEpoch(deps);
      const settleMs = performance.now() - t1;
      const m = settled.models[0]!;
      const row = db.prepare('SELECT pay_gas, post_gas FROM attribution_settlements WHERE epoch = ? AND model_key = ?').get(settled.epoch, 'bench-lora') as { pay_gas: number; post_gas: number };
      const claimant = m.contributors[0]!.address;
      const claim = await claimReward(deps, { contributor: claimant, batchId: m.batchId! });
      const receipt = await core.chain.explorer().client.getTransactionReceipt({ hash: claim.hash as Hash });
      rows.push({
        inferences: n,
        leaves: m.contributors.length,
        payGas: row.pay_gas,
        postGas: row.post_gas,
        claimGas: Number(receipt.gasUsed),
        payGasPerInference: Math.round(row.pay_gas / n),
        postGasPerInference: Math.round(row.post_gas / n),
        settlementGasPerInference: Math.round((row.pay_gas + row.post_gas) / n),
        recordMsPerInference: Number((recordMs / n).toFixed(3)),
        settleMs: Math.round(settleMs),
      });
      process.stderr.write(`  ${n} inferences: ${JSON.stringify(rows.at(-1))}\n`);
    }
    return { contributorsPerInference: 3, demoContributors: 32, rows };
  } finally {
    await core.chain.stop().catch(() => {});
    await core.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
