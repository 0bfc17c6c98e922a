// Settlement: closes an epoch, then for each model recorded in it pays the fees into the
// AttributionLedger (payEpochFees.ts), splits the contributors' pool into a Merkle tree
// (settlementTree.ts) and posts it with postBatch through the publishing service, so it shows in
// publications and the explorer. The tree is stored, so proofs are made locally later.
//
// Every step is a state of the (epoch, model) row, written before the step's effect: closed →
// paying → paid → posting → posted. Settling again resumes wherever a crash left a row; nothing
// is paid or posted twice (paying: see payEpochFees.ts; posting: the batch is looked for on chain
// by its root before posting again, and the pool, drained by the first post, would refuse a
// second one with BatchExceedsPool anyway).
import { decodeEventLog, type Hash } from 'viem';
import { AttributionLedgerAbi, ProtocolParamsAbi } from '../../contracts/generated/index.js';
import { ErrorCode, StudioError } from '../api/apiError';
import type { DevnetService } from '../chain/devnet/devnetService';
import { rpcError } from '../chain/explorer/chainExplorer';
import { listPublications, updatePublication } from '../chain/publishing/publicationsRepository';
import type { PublishingService } from '../chain/publishing/publishingService';
import type { Db } from '../workspace/openDatabase';
import { ensureSettlementModel } from './ensureSettlementModel';
import { currentEpoch, epochFees } from './inferenceLedger';
import { payEpochFees, type PayHooks } from './payEpochFees';
import { batchLeaves, buildTree } from './settlementTree';
import { getSettlement, listSettlements, updateSettlement, type SettlementRow } from './settlementsRepository';
import { retryWhileBusy } from '../workspace/retryWhileBusy';

export interface SettlementDeps {
  db: Db;
  devnet: DevnetService;
  publishing: PublishingService;
}

export interface SettleHooks extends PayHooks {
  /** After the fees are paid and recorded, before the batch is built (a kill between pay and post). */
  afterPaid?: () => void;
  /** After the tree is stored ('posting'), before postBatch is sent. */
  afterTreeStored?: () => void;
}

export interface SettledModel {
  epoch: number;
  modelKey: string;
  state: SettlementRow['state'];
  onchainModelId: string | null;
  inferenceCount: number;
  feesWei: string;
  poolWei: string | null;
  thresholdBps: number | null;
  root: string | null;
  batchId: string | null;
  payTx: string | null;
  postTx: string | null;
  publicationId: string | null;
  contributors: { address: string; amountWei: string }[];
  folded: { address: string; feeWei: string }[];
  /** Why a posted row has no batch (a contributor pool of 0). */
  note: string | null;
}

export function settledModel(row: SettlementRow): SettledModel {
  const leaves = row.tree_json ? (JSON.parse(row.tree_json) as { values: { value: [string, string] }[] }).values.map((v) => v.value) : [];
  return {
    epoch: row.epoch,
    modelKey: row.model_key,
    state: row.state,
    onchainModelId: row.onchain_model_id,
    inferenceCount: row.inference_count,
    feesWei: row.fees_wei,
    poolWei: row.pool_wei,
    thresholdBps: row.threshold_bps,
    root: row.root,
    batchId: row.batch_id,
    payTx: row.pay_tx,
    postTx: row.post_tx,
    publicationId: row.publication_id,
    contributors: leaves.map(([address, amountWei]) => ({ address, amountWei })),
    folded: row.folded_json ? (JSON.parse(row.folded_json) as SettledModel['folded']) : [],
    note: row.state === 'posted' && row.batch_id === null ? 'Nothing to post: the contributors’ pool was 0 wei (contributorFeeBps is 0, or no contributor remained).' : null,
  };
}

/** Closes `epoch` (the open one), opens the next and fixes each model's amounts, in one transaction. */
function closeEpoch(db: Db, epoch: number): void {
  db.transaction(() => {
    const now = new Date().toISOString();
    db.prepare("UPDATE attribution_epochs SET status = 'closed', closed_at = ? WHERE epoch = ? AND status = 'open'").run(now, epoch);
    db.prepare("INSERT INTO attribution_epochs (epoch, status, opened_at) VALUES (?, 'open', ?)").run(epoch + 1, now);
    const insert = db.prepare("INSERT INTO attribution_settlements (epoch, model_key, state, inference_count, fees_wei, onchain_model_id, updated_at) VALUES (?, ?, 'closed', ?, ?, ?, ?)");
    for (const m of epochFees(db, epoch)) insert.run(epoch, m.modelKey, m.inferenceCount, m.feesWei.toString(), m.onchainModelId, now);
  })();
}

async function readThreshold(devnet: DevnetService): Promise<number> {
  const explorer = devnet.explorer();
  try {
    return Number(await explorer.client.readContract({ address: explorer.contract('ProtocolParams').address, abi: ProtocolParamsAbi, functionName: 'attributionThresholdBps' }));
  } catch (err) {
    throw rpcError(err, 'reading ProtocolParams.attributionThresholdBps');
  }
}

/** The batch's uri: names its epoch and model, so a post is recognised as this row's. */
function batchUri(row: SettlementRow): string {
  return `studio:attribution/epoch/${row.epoch}/${row.model_key}`;
}

/** The batch posted for this row's root, if one is on chain (a post whose recording was lost). */
async function findPosted(devnet: DevnetService, row: SettlementRow): Promise<{ batchId: string; hash: Hash } | null> {
  const explorer = devnet.explorer();
  const logs = await explorer.client
    .getContractEvents({
      address: row.ledger as Hash,
      abi: AttributionLedgerAbi,
      eventName: 'AttributionBatchPosted',
      args: { modelId: BigInt(row.onchain_model_id!) },
      fromBlock: BigInt(row.post_from_block ?? 0),
    })
    .catch((err: unknown) => {
      throw rpcError(err, 'reading AttributionBatchPosted events');
    });
  // The uri names the epoch and model: two epochs with the same leaves have the same root.
  const hit = logs.find((l) => l.args.uri === batchUri(row) && l.args.merkleRoot?.toLowerCase() === row.root!.toLowerCase() && l.args.total === BigInt(row.pool_wei!));
  return hit ? { batchId: hit.args.batchId!.toString(), hash: hit.transactionHash } : null;
}

/** A postBatch for this root that a killed process sent and recorded (a publication with a hash)
 * but never saw mined: wait for it rather than posting a second one. */
async function awaitSentPost(deps: SettlementDeps, row: SettlementRow): Promise<{ batchId: string; hash: Hash } | null> {
  const sent = listPublications(deps.db, { chainId: deps.devnet.devnetChainId }).filter(
    (p) => p.kind === 'attribution.batch' && p.txHash !== null && (p.status === 'pending' || p.status === 'confirmed') && (p.params as { uri?: string }).uri === batchUri(row),
  );
  for (const p of sent) {
    const receipt = await deps.devnet
      .explorer()
      .client.waitForTransactionReceipt({ hash: p.txHash as Hash, pollingInterval: 100, timeout: 120_000 })
      .catch(() => null);
    if (receipt?.status !== 'success') continue;
    for (const log of receipt.logs) {
      try {
        const ev = decodeEventLog({ abi: AttributionLedgerAbi, data: log.data, topics: log.topics });
        if (ev.eventName === 'AttributionBatchPosted') {
          const batchId = ev.args.batchId.toString();
          await retryWhileBusy(() => updatePublication(deps.db, p.id, { status: 'confirmed', blockNumber: Number(receipt.blockNumber), blockHash: receipt.blockHash, result: batchId }));
          return { batchId, hash: p.txHash as Hash };
        }
      } catch {
        // Another contract's or event's log.
      }
    }
  }
  return null;
}

async function postEpochBatch(deps: SettlementDeps, start: SettlementRow, hooks: SettleHooks): Promise<SettlementRow> {
  const { db, devnet } = deps;
  let row = start;
  if (row.state === 'paid') {
    const threshold = await readThreshold(devnet);
    const fees = epochFees(db, row.epoch).find((m) => m.modelKey === row.model_key)!;
    const { leaves, folded } = batchLeaves(BigInt(row.pool_wei!), fees.byContributor, threshold);
    if (leaves.length === 0) return updateSettlement(db, row.epoch, row.model_key, { state: 'posted', threshold_bps: threshold, folded_json: JSON.stringify(folded) });
    const tree = buildTree(leaves);
    const fromBlock = Number(await devnet.explorer().client.getBlockNumber({ cacheTime: 0 }));
    row = updateSettlement(db, row.epoch, row.model_key, {
      state: 'posting',
      threshold_bps: threshold,
      tree_json: JSON.stringify(tree.dump()),
      root: tree.root,
      folded_json: JSON.stringify(folded),
      post_from_block: fromBlock,
    });
    hooks.afterTreeStored?.();
  }
  if (row.state !== 'posting') return row;
  const found = (await findPosted(devnet, row)) ?? (await awaitSentPost(deps, row));
  let batchId: string;
  let hash: Hash;
  let publicationId: string | null = row.publication_id;
  if (found) {
    ({ batchId, hash } = found);
    // The publication a killed process recorded for it, if any (it shows in the explorer's list).
    const recorded = listPublications(db, { chainId: devnet.devnetChainId }).find((p) => p.txHash?.toLowerCase() === hash.toLowerCase());
    if (recorded) {
      publicationId = recorded.id;
      if (recorded.status === 'pending') await retryWhileBusy(() => updatePublication(db, recorded.id, { status: 'confirmed', result: batchId }));
    }
  } else {
    const publication = await deps.publishing.publish({
      kind: 'attribution.batch',
      merkleRoot: row.root!,
      modelId: row.onchain_model_id!,
      total: row.pool_wei!,
      inferenceCount: row.inference_count,
      uri: batchUri(row),
    });
    batchId = String(publication.result);
    hash = publication.txHash as Hash;
    publicationId = publication.id;
  }
  const receipt = await devnet.explorer().client.getTransactionReceipt({ hash }).catch(() => null);
  return updateSettlement(db, row.epoch, row.model_key, { state: 'posted', batch_id: batchId, post_tx: hash, post_gas: receipt ? Number(receipt.gasUsed) : null, publication_id: publicationId });
}

async function settleRow(deps: SettlementDeps, start: SettlementRow, hooks: SettleHooks): Promise<SettlementRow> {
  let row = start;
  if (row.state === 'closed' || row.state === 'paying') {
    const modelId = row.state === 'paying' ? row.onchain_model_id! : (await ensureSettlementModel(deps.db, deps, row.model_key, row.onchain_model_id)).onchainId;
    row = await payEpochFees(deps.db, deps.devnet, row, modelId, hooks);
    if (row.state === 'closed') row = await payEpochFees(deps.db, deps.devnet, row, modelId, hooks);
    hooks.afterPaid?.();
  }
  if (row.state === 'paid' || row.state === 'posting') row = await postEpochBatch(deps, row, hooks);
  return row;
}

const running = new WeakMap<Db, Promise<unknown>>();

/**
 * Settles `epoch` (default: the open one), after finishing any earlier epoch a crash left half
 * settled. An open epoch is closed first (the next one opens at once, so inferences keep being
 * recorded); an epoch without inferences is not closed. Returns each model's settlement.
 */
export async function settleEpoch(deps: SettlementDeps, opts: { epoch?: number | undefined; hooks?: SettleHooks } = {}): Promise<{ epoch: number; models: SettledModel[] }> {
  // One settlement at a time per workspace: two would race on the same rows.
  const previous = running.get(deps.db) ?? Promise.resolve();
  const next = previous.catch(() => {}).then(() => settleNow(deps, opts));
  running.set(deps.db, next);
  return next;
}

async function settleNow(deps: SettlementDeps, opts: { epoch?: number | undefined; hooks?: SettleHooks }): Promise<{ epoch: number; models: SettledModel[] }> {
  const { db } = deps;
  const hooks = opts.hooks ?? {};
  const open = currentEpoch(db);
  const epoch = opts.epoch ?? open;
  if (epoch > open || epoch < 1 || !Number.isInteger(epoch)) {
    throw new StudioError(ErrorCode.NotFound, `No epoch ${epoch}: epochs run from 1 to ${open} (the open one).`, { epoch, open });
  }
  deps.devnet.explorer();
  for (const row of listSettlements(db).filter((r) => r.state !== 'posted' && r.epoch < epoch)) await settleRow(deps, row, hooks);
  if (epoch === open) {
    const count = db.prepare('SELECT COUNT(*) FROM attribution_inferences WHERE epoch = ?').pluck().get(epoch) as number;
    if (count === 0) return { epoch, models: [] };
    closeEpoch(db, epoch);
  }
  const models: SettledModel[] = [];
  for (const row of listSettlements(db, epoch)) models.push(settledModel(row.state === 'posted' ? row : await settleRow(deps, getSettlement(db, row.epoch, row.model_key), hooks)));
  return { epoch, models };
}
