// Settlement and claims against a real Anvil devnet (started by the workspace's DevnetService,
// protocol deployed) and a real workspace (SQLite file). Tests run in order and share the chain.
import { getAddress, keccak256, toBytes, type Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AttributionLedgerAbi, ProtocolParamsAbi } from '../../../contracts/generated/index.js';
import { tempDir } from '../../../test/support/tempDir';
import type { StudioError } from '../../api/apiError';
import { demoContributors } from '../../chain/keys/demoContributorKeys';
import { PublishingService } from '../../chain/publishing/publishingService';
import { listPublications } from '../../chain/publishing/publicationsRepository';
import { sendAsDevAccount } from '../../chain/writes/sendAsDevAccount';
import { callCore } from '../../cli/callCore';
import { StudioCore } from '../../core/studioCore';
import { checkClaim, claimReward, listClaims } from '../claimRewards';
import { recordInference } from '../inferenceLedger';
import { settleEpoch, type SettlementDeps } from '../settleEpoch';
import { buildTree } from '../settlementTree';
import { getSettlement } from '../settlementsRepository';

const [A, B, C, D] = demoContributors().map((d) => d.address);
const datanet = { name: 'recipes', version: 1, root: `0x${'cd'.repeat(32)}` };
let core: StudioCore;
let deps: SettlementDeps;

beforeAll(async () => {
  core = StudioCore.open({ home: tempDir('studio-settle-'), mode: 'embedded' });
  await core.chain.start();
  deps = { db: core.workspace.db, devnet: core.chain, publishing: new PublishingService(core.workspace.db, core.chain, () => {}) };
}, 120_000);

afterAll(async () => {
  await core?.chain.stop();
  await core?.close();
});

const ledger = () => core.chain.explorer().contract('AttributionLedger').address;
const read = <T>(functionName: string, args: unknown[] = [], abi: readonly unknown[] = AttributionLedgerAbi, address: Address = ledger()): Promise<T> =>
  core.chain.explorer().client.readContract({ address, abi, functionName, args } as never) as Promise<T>;

async function refusal(p: Promise<unknown>): Promise<StudioError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e as StudioError,
  );
  expect(err).not.toBeNull();
  return err!;
}

async function feesPaidEvents(modelId: bigint) {
  return core.chain.explorer().client.getContractEvents({ address: ledger(), abi: AttributionLedgerAbi, eventName: 'InferenceFeesPaid', args: { modelId }, fromBlock: 0n });
}

describe('settlement on the devnet', () => {
  it('settles an epoch: pays the fees in, posts the batch through the publishing service, folds a sub-threshold contributor', async () => {
    const threshold = await read<number>('attributionThresholdBps', [], ProtocolParamsAbi, core.chain.explorer().contract('ProtocolParams').address);
    const contributorBps = await read<number>('contributorFeeBps', [], ProtocolParamsAbi, core.chain.explorer().contract('ProtocolParams').address);
    expect(threshold).toBeGreaterThan(0);
    // D holds 2x the threshold in one inference (so the per-inference threshold kept it), but
    // over ten inferences its total is a fifth of the threshold: it must be folded into A, B, C.
    const dShare = (2 * threshold) / 10_000;
    recordInference(deps.db, { model: 'base', adapter: 'recipes-lora', datanet, contributors: [{ address: A!, share: 0.5 }, { address: B!, share: 0.3 }, { address: C!, share: 0.2 - dShare }, { address: D!, share: dShare }] });
    for (let i = 0; i < 9; i++) recordInference(deps.db, { model: 'base', adapter: 'recipes-lora', datanet, contributors: [{ address: A!, share: 0.5 }, { address: B!, share: 0.3 }, { address: C!, share: 0.2 }] });

    const settled = await settleEpoch(deps);
    expect(settled.epoch).toBe(1);
    const [m] = settled.models;
    expect(m).toMatchObject({ modelKey: 'recipes-lora', state: 'posted', inferenceCount: 10, feesWei: (10n * 10n ** 16n).toString(), thresholdBps: threshold });
    const pool = (10n * 10n ** 16n * BigInt(contributorBps)) / 10_000n;
    expect(m!.poolWei).toBe(pool.toString());
    expect(m!.folded.map((f) => f.address)).toEqual([D]);
    expect(m!.contributors.map((c) => c.address).sort()).toEqual([A, B, C].sort());
    expect(m!.contributors.reduce((s, c) => s + BigInt(c.amountWei), 0n)).toBe(pool);

    const batch = await read<{ merkleRoot: string; total: bigint; modelId: bigint; inferenceCount: number; thresholdBps: number }>('getBatch', [BigInt(m!.batchId!)]);
    expect(batch).toMatchObject({ merkleRoot: m!.root, total: pool, modelId: BigInt(m!.onchainModelId!), inferenceCount: 10 });
    const posted = await core.chain.explorer().client.getContractEvents({ address: ledger(), abi: AttributionLedgerAbi, eventName: 'AttributionBatchPosted', fromBlock: 0n });
    expect(posted.map((e) => [e.args.batchId, e.args.merkleRoot, e.args.total, e.transactionHash])).toEqual([[BigInt(m!.batchId!), m!.root, pool, m!.postTx]]);
    const kinds = listPublications(deps.db).map((p) => [p.kind, p.status]);
    expect(kinds).toContainEqual(['attribution.batch', 'confirmed']);
    expect(kinds).toContainEqual(['model.base', 'confirmed']);
    expect(await read<bigint>('rewardPool', [BigInt(m!.onchainModelId!)])).toBe(0n);
    // Settling again changes nothing: the epoch is posted, the new open one is empty.
    expect((await settleEpoch(deps, { epoch: 1 })).models[0]).toEqual(m);
    expect((await settleEpoch(deps)).models).toEqual([]);
  }, 120_000);

  it('lists claims with local proofs and claims as a demo contributor: its balance rises by exactly its amount', async () => {
    const claims = await listClaims(deps.db, core.chain, A!.toLowerCase());
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ batchId: '1', epoch: 1, modelKey: 'recipes-lora', claimed: false });
    const result = await claimReward(deps, { contributor: A!, batchId: '1' });
    expect(result.signer).toBe(A);
    expect(result.receivedWei).toBe(claims[0]!.amountWei);
    expect(BigInt(result.balanceAfterWei) - BigInt(result.balanceBeforeWei) + BigInt(result.gasFeeWei)).toBe(BigInt(claims[0]!.amountWei));
    expect(result.publication).toMatchObject({ kind: 'rewards.claim', status: 'confirmed', txHash: result.hash });
    expect((await listClaims(deps.db, core.chain, A!))[0]!.claimed).toBe(true);
    // Signed by a dev account, the OPEN still goes to the contributor, and nothing else moves its balance.
    const b = await claimReward(deps, { contributor: B!, batchId: '1', signer: { kind: 'devAccount', index: 2 } });
    expect(BigInt(b.balanceAfterWei) - BigInt(b.balanceBeforeWei)).toBe(BigInt((await listClaims(deps.db, core.chain, B!))[0]!.amountWei));
  }, 60_000);

  it('refuses a double claim and a wrong proof before sending anything', async () => {
    const client = core.chain.explorer().client;
    const block = await client.getBlockNumber({ cacheTime: 0 });
    const double = await refusal(claimReward(deps, { contributor: A!, batchId: '1' }));
    expect(double.code).toBe('CLAIM_REFUSED');
    expect(double.details).toMatchObject({ reason: 'AlreadyClaimed' });
    const [c] = await listClaims(deps.db, core.chain, C!);
    const aProof = (await listClaims(deps.db, core.chain, A!))[0]!.proof;
    const wrong = await refusal(claimReward(deps, { contributor: C!, batchId: '1', amountWei: c!.amountWei, proof: aProof }));
    expect(wrong.code).toBe('CLAIM_REFUSED');
    expect(wrong.details).toMatchObject({ reason: 'InvalidProof' });
    // Claiming one wei more than the leaf with the leaf's proof is a wrong proof too.
    const more = await refusal(claimReward(deps, { contributor: C!, batchId: '1', amountWei: (BigInt(c!.amountWei) + 1n).toString(), proof: c!.proof }));
    expect(more.details).toMatchObject({ reason: 'InvalidProof' });
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(block);
    // C's own claim still goes through.
    expect((await claimReward(deps, { contributor: C!, batchId: '1' })).receivedWei).toBe(c!.amountWei);
  }, 60_000);

  it('refuses an over-claim from a faulty batch whose leaves sum past its total, before sending', async () => {
    const explorer = core.chain.explorer();
    const modelId = (await read<bigint>('batchCount')) > 0n ? getSettlement(deps.db, 1, 'recipes-lora').onchain_model_id! : '1';
    const pay = await sendAsDevAccount(explorer, { contract: 'AttributionLedger', functionName: 'payInferenceFees', args: [modelId, 1], value: 10n ** 18n, from: 0, devnetChainId: core.chain.devnetChainId });
    expect(pay.receipt.status).toBe('success');
    const total = 10n ** 17n;
    // A faulty operator commits 0.6 + 0.6 of the total.
    const tree = buildTree([
      [A!, ((total * 6n) / 10n).toString()],
      [B!, ((total * 6n) / 10n).toString()],
    ]);
    const post = await deps.publishing.publish({ kind: 'attribution.batch', merkleRoot: tree.root, modelId, total: total.toString(), inferenceCount: 1, uri: 'test:faulty' });
    const batchId = String(post.result);
    const proofOf = (i: number) => ({ batchId, contributor: tree.at(i)![0], amountWei: tree.at(i)![1], proof: tree.getProof(i) });
    await checkClaim(core.chain, proofOf(0));
    await claimReward(deps, { contributor: tree.at(0)![0], batchId, amountWei: tree.at(0)![1], proof: tree.getProof(0) });
    const block = await explorer.client.getBlockNumber({ cacheTime: 0 });
    const over = await refusal(claimReward(deps, { contributor: tree.at(1)![0], batchId, amountWei: tree.at(1)![1], proof: tree.getProof(1) }));
    expect(over.code).toBe('CLAIM_REFUSED');
    expect(over.details).toMatchObject({ reason: 'ClaimExceedsBatch' });
    expect(over.message).toMatch(/has 40000000000000000 wei left to claim/);
    expect(await explorer.client.getBlockNumber({ cacheTime: 0 })).toBe(block);
    // A leaf above the whole total is refused the same way.
    const big = buildTree([[C!, (total + 1n).toString()], [D!, '1']]);
    await sendAsDevAccount(explorer, { contract: 'AttributionLedger', functionName: 'payInferenceFees', args: [modelId, 1], value: 10n ** 18n, from: 0, devnetChainId: core.chain.devnetChainId });
    const bigBatch = String((await deps.publishing.publish({ kind: 'attribution.batch', merkleRoot: big.root, modelId, total: total.toString(), inferenceCount: 1, uri: 'test:faulty' })).result);
    const i = [...big.entries()].find(([, v]) => v[0] === C)![0];
    const tooBig = await refusal(checkClaim(core.chain, { batchId: bigBatch, contributor: C!, amountWei: (total + 1n).toString(), proof: big.getProof(i) }));
    expect(tooBig.details).toMatchObject({ reason: 'ClaimExceedsBatch' });
  }, 60_000);

  it('resumes after a kill at each step of paying and between pay and post, never paying twice', async () => {
    const killed = () => {
      throw new Error('killed');
    };
    const modelId = BigInt(getSettlement(deps.db, 1, 'recipes-lora').onchain_model_id!);
    for (const [i, hook] of (['afterPaySigned', 'afterPaySent', 'afterPaid', 'afterTreeStored'] as const).entries()) {
      const before = (await feesPaidEvents(modelId)).length;
      const batchesBefore = await read<bigint>('batchCount');
      recordInference(deps.db, { model: 'base', adapter: 'recipes-lora', datanet, contributors: [{ address: A!, share: 0.6 }, { address: B!, share: 0.4 }] });
      const epoch = (await import('../inferenceLedger')).currentEpoch(deps.db);
      await expect(settleEpoch(deps, { hooks: { [hook]: killed } })).rejects.toThrow('killed');
      const left = getSettlement(deps.db, epoch, 'recipes-lora').state;
      expect(left).toBe({ afterPaySigned: 'paying', afterPaySent: 'paying', afterPaid: 'paid', afterTreeStored: 'posting' }[hook]);
      // The epoch is closed: a new inference lands in the next one.
      expect(recordInference(deps.db, { model: 'base', adapter: 'other', datanet, contributors: [{ address: A!, share: 1 }] })!.epoch).toBe(epoch + 1);
      deps.db.prepare("DELETE FROM attribution_inference_shares WHERE inference_id IN (SELECT id FROM attribution_inferences WHERE model_key = 'other')").run();
      deps.db.prepare("DELETE FROM attribution_inferences WHERE model_key = 'other'").run();
      const resumed = await settleEpoch(deps, { epoch });
      expect(resumed.models[0]).toMatchObject({ state: 'posted', inferenceCount: 1 });
      expect((await feesPaidEvents(modelId)).length, `paid once after a kill at ${hook} (${i})`).toBe(before + 1);
      expect(await read<bigint>('batchCount')).toBe(batchesBefore + 1n);
      const batch = await read<{ total: bigint }>('getBatch', [BigInt(resumed.models[0]!.batchId!)]);
      expect(batch.total.toString()).toBe(resumed.models[0]!.poolWei);
    }
  }, 120_000);

  it('does not pay twice when the resume cannot see the receipt of a payment that did land', async () => {
    // The race CI hit under load: the payment is mined, the resume's receipt lookup comes back
    // empty, the re-sent bytes fail with "nonce too low", and a new payment was signed.
    const modelId = BigInt(getSettlement(deps.db, 1, 'recipes-lora').onchain_model_id!);
    const before = (await feesPaidEvents(modelId)).length;
    recordInference(deps.db, { model: 'base', adapter: 'recipes-lora', datanet, contributors: [{ address: A!, share: 1 }] });
    const epoch = (await import('../inferenceLedger')).currentEpoch(deps.db);
    await expect(settleEpoch(deps, { hooks: { afterPaySent: () => { throw new Error('killed'); } } })).rejects.toThrow('killed');
    const client = core.chain.explorer().client as { getTransactionReceipt: (...a: unknown[]) => Promise<unknown> };
    const real = client.getTransactionReceipt;
    let hidden = 0;
    client.getTransactionReceipt = async () => {
      client.getTransactionReceipt = real; // only the first lookup misses, as in the race
      hidden++;
      throw new Error('receipt not served yet');
    };
    try {
      const resumed = await settleEpoch(deps, { epoch });
      expect(resumed.models[0]).toMatchObject({ state: 'posted', inferenceCount: 1 });
    } finally {
      client.getTransactionReceipt = real;
    }
    expect(hidden).toBe(1);
    expect((await feesPaidEvents(modelId)).length).toBe(before + 1);
  }, 60_000);

  it('prepares a claim through the API for chain.confirmWrite, checked before preparing', async () => {
    const open = (await callCore(core, 'attribution.claims', { contributor: B! })).batches.filter((b) => !b.claimed);
    expect(open.length).toBeGreaterThan(0);
    const prepared = await callCore(core, 'attribution.prepareClaim', { contributor: B!, batchId: open[0]!.batchId, devAccount: 5 });
    expect(prepared).toMatchObject({ contractName: 'AttributionLedger', call: { functionName: 'claim' }, publicationKind: 'rewards.claim' });
    const client = core.chain.explorer().client;
    const before = await client.getBalance({ address: B! });
    const sent = await callCore(core, 'chain.confirmWrite', { preparedId: prepared.preparedId });
    expect(sent.status).toBe('success');
    expect((await client.getBalance({ address: B! })) - before).toBe(BigInt(open[0]!.amountWei));
    const again = await refusal(callCore(core, 'attribution.prepareClaim', { contributor: B!, batchId: open[0]!.batchId, devAccount: 5 }));
    expect(again.details).toMatchObject({ reason: 'AlreadyClaimed' });
    const epochs = await callCore(core, 'attribution.epochs', {});
    expect(epochs[0]!.status).toBe('open');
    expect(epochs.filter((e) => e.status === 'closed').every((e) => e.models.every((m) => m.state === 'posted' && m.batchId !== null))).toBe(true);
  }, 60_000);

  it('registers a model once per registry and reuses it', async () => {
    const bases = listPublications(deps.db).filter((p) => p.kind === 'model.base');
    expect(bases).toHaveLength(1);
    expect(bases[0]!.params).toMatchObject({ filesHash: keccak256(toBytes('studio:model/recipes-lora')) });
    expect(getAddress(A!)).toBe(A);
  });
});
