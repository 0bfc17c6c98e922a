// Claims: what a contributor can claim from posted attribution batches, with proofs made locally
// from the stored trees, checked locally against the batch on chain before anything is sent, and
// sent signed by the demo contributor's dev-only key on the devnet (or by a dev account; the OPEN
// always goes to the contributor named in the leaf). The local check mirrors
// AttributionLedger.claim's, in its order, so a claim the ledger would refuse is refused here
// with the same reason (CLAIM_REFUSED, details.reason = the contract's error name) and nothing is
// sent: a wrong proof, a double claim, an over-claim, a share under the batch's threshold.
import { StandardMerkleTree } from '@openzeppelin/merkle-tree';
import { createWalletClient, getAddress, http, isAddress, parseEther, type Address, type Hash, type Hex } from 'viem';
import { AttributionLedgerAbi } from '../../contracts/generated/index.js';
import { ErrorCode, StudioError, toApiError } from '../api/apiError';
import type { Publication } from '../api/chainSchemas';
import { ChainErrorCode, invalidArgument } from '../chain/chainErrors';
import type { DevnetService } from '../chain/devnet/devnetService';
import { devnetChain } from '../chain/devnet/devnetChain';
import { decodeCallError, rpcError, UNKNOWN_REVERT } from '../chain/explorer/chainExplorer';
import { demoContributorAccount, demoContributorByAddress } from '../chain/keys/demoContributorKeys';
import { DEV_ACCOUNTS, devAccount, DevKeyRefusedError } from '../chain/keys/devKeys';
import { publicationTitle } from '../chain/publishing/publicationKindOf';
import { insertPending, publicPublication, updatePublication } from '../chain/publishing/publicationsRepository';
import type { PublishingService } from '../chain/publishing/publishingService';
import { revertedError } from '../chain/writes/sendAsDevAccount';
import type { Db } from '../workspace/openDatabase';
import { retryWhileBusy } from '../workspace/retryWhileBusy';
import { LEAF_ENCODING, loadTree } from './settlementTree';
import type { SettlementRow } from './settlementsRepository';

export const CLAIM_REFUSED = 'CLAIM_REFUSED';
const BPS = 10_000n;

export interface ClaimableBatch {
  batchId: string;
  epoch: number;
  modelKey: string;
  onchainModelId: string;
  amountWei: string;
  claimed: boolean;
  proof: Hex[];
  root: string;
}

export interface ClaimTarget {
  batchId: string;
  contributor: string;
  amountWei: string;
  proof: readonly string[];
}

function checkedAddress(text: string): Address {
  if (!isAddress(text, { strict: false })) throw invalidArgument(`contributor: ${JSON.stringify(text)} is not an address (0x and 40 hex digits)`, { field: 'contributor' });
  return getAddress(text);
}

function ledgerOf(devnet: DevnetService): Address {
  return devnet.explorer().contract('AttributionLedger').address;
}

/** Posted batches of this devnet's ledger that hold a leaf for `contributor`, with proofs and the
 * chain's claimed flag, oldest first. */
export async function listClaims(db: Db, devnet: DevnetService, contributorText: string): Promise<ClaimableBatch[]> {
  const contributor = checkedAddress(contributorText);
  const explorer = devnet.explorer();
  const ledger = ledgerOf(devnet);
  const rows = db
    .prepare("SELECT * FROM attribution_settlements WHERE state = 'posted' AND batch_id IS NOT NULL AND chain_id = ? AND ledger = ? ORDER BY CAST(batch_id AS INTEGER)")
    .all(devnet.devnetChainId, ledger) as SettlementRow[];
  const out: ClaimableBatch[] = [];
  for (const row of rows) {
    const tree = loadTree(row.tree_json!);
    for (const [i, [address, amount]] of tree.entries()) {
      if (address.toLowerCase() !== contributor.toLowerCase()) continue;
      const claimed = await explorer.client
        .readContract({ address: ledger, abi: AttributionLedgerAbi, functionName: 'hasClaimed', args: [BigInt(row.batch_id!), contributor] })
        .catch((err: unknown) => {
          throw rpcError(err, 'reading AttributionLedger.hasClaimed');
        });
      out.push({ batchId: row.batch_id!, epoch: row.epoch, modelKey: row.model_key, onchainModelId: row.onchain_model_id!, amountWei: amount, claimed, proof: tree.getProof(i) as Hex[], root: tree.root });
    }
  }
  return out;
}

function refuse(reason: string, message: string, target: ClaimTarget, extra: Record<string, unknown> = {}): StudioError {
  return new StudioError(CLAIM_REFUSED, `Claim refused before sending: ${message}`, { reason, batchId: target.batchId, contributor: target.contributor, amountWei: target.amountWei, ...extra });
}

/** AttributionLedger.claim's checks, in its order, against the batch as the chain holds it. */
export async function checkClaim(devnet: DevnetService, target: ClaimTarget): Promise<{ total: bigint; claimed: bigint; thresholdBps: number }> {
  const explorer = devnet.explorer();
  const ledger = ledgerOf(devnet);
  const contributor = checkedAddress(target.contributor);
  const amount = BigInt(target.amountWei);
  let batch;
  try {
    batch = await explorer.client.readContract({ address: ledger, abi: AttributionLedgerAbi, functionName: 'getBatch', args: [BigInt(target.batchId)] });
  } catch (err) {
    if (decodeCallError(err)?.errorName === 'UnknownBatch') throw refuse('UnknownBatch', `batch ${target.batchId} is not on this devnet's ledger (was the devnet reset?).`, target);
    throw rpcError(err, 'reading AttributionLedger.getBatch');
  }
  const already = await explorer.client.readContract({ address: ledger, abi: AttributionLedgerAbi, functionName: 'hasClaimed', args: [BigInt(target.batchId), contributor] });
  if (already) throw refuse('AlreadyClaimed', `${contributor} has already claimed batch ${target.batchId}.`, target);
  let valid = false;
  try {
    valid = StandardMerkleTree.verify(batch.merkleRoot, [...LEAF_ENCODING], [contributor, amount], [...target.proof]);
  } catch {
    valid = false;
  }
  if (!valid) throw refuse('InvalidProof', `the proof does not show (${contributor}, ${amount} wei) in batch ${target.batchId}'s tree (root ${batch.merkleRoot}).`, target, { root: batch.merkleRoot });
  const total = BigInt(batch.total);
  if (amount > total) throw refuse('ClaimExceedsBatch', `${amount} wei is more than batch ${target.batchId}'s total of ${total} wei.`, target, { totalWei: total.toString() });
  if (amount * BPS < total * BigInt(batch.thresholdBps)) {
    throw refuse('ShareBelowThreshold', `${amount} of ${total} wei is under the batch's attribution threshold of ${batch.thresholdBps} bps.`, target, { thresholdBps: batch.thresholdBps });
  }
  const claimed = BigInt(batch.claimed);
  if (claimed + amount > total) throw refuse('ClaimExceedsBatch', `batch ${target.batchId} has ${total - claimed} wei left to claim, not ${amount}.`, target, { totalWei: total.toString(), claimedWei: claimed.toString() });
  return { total, claimed, thresholdBps: batch.thresholdBps };
}

/** Who signs a claim on the devnet: the demo contributor's own dev-only key, or a dev account. */
export type ClaimSigner = { kind: 'contributor' } | { kind: 'devAccount'; index: number };

export interface ClaimResult {
  batchId: string;
  contributor: string;
  amountWei: string;
  hash: string;
  publication: Publication | null;
  signer: string;
  signerLabel: string;
  /** The contributor's balance in the blocks before and after the claim, and what it gained
   * (after - before, plus the gas it paid when it signed): exactly amountWei. */
  balanceBeforeWei: string;
  balanceAfterWei: string;
  gasFeeWei: string;
  receivedWei: string;
  /** OPEN sent by dev account #0 first so the demo contributor could pay gas, or null. */
  gasTopUpWei: string | null;
}

export interface ClaimDeps {
  db: Db;
  devnet: DevnetService;
  publishing: PublishingService;
  announce?: (p: Publication) => void;
}

/** A demo contributor with less than this gets a top-up of GAS_TOP_UP from dev account #0. */
const GAS_FLOOR = parseEther('0.01');
const GAS_TOP_UP = parseEther('0.1');

function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof DevKeyRefusedError) throw new StudioError(ChainErrorCode.DevKeyRefused, err.message, { chainId: err.chainId, devnetChainId: err.devnetChainId });
    throw err;
  }
}

/**
 * Claims `contributor`'s amount of batch `batchId` (amount and proof from the stored tree unless
 * given: tests hand in wrong ones). Refused with CLAIM_REFUSED before sending when the ledger
 * would refuse it.
 */
export async function claimReward(
  deps: ClaimDeps,
  req: { contributor: string; batchId: string; signer?: ClaimSigner; amountWei?: string; proof?: readonly string[] },
): Promise<ClaimResult> {
  const { db, devnet } = deps;
  const contributor = checkedAddress(req.contributor);
  const stored = (await listClaims(db, devnet, contributor)).find((c) => c.batchId === req.batchId);
  if (!stored && (req.amountWei === undefined || req.proof === undefined)) {
    throw new StudioError(ErrorCode.NotFound, `${contributor} has no leaf in batch ${req.batchId} among this workspace's posted batches (see \`studio attribution claim --contributor ${contributor}\` without --batch).`, {
      contributor,
      batchId: req.batchId,
    });
  }
  const target: ClaimTarget = { batchId: req.batchId, contributor, amountWei: req.amountWei ?? stored!.amountWei, proof: req.proof ?? stored!.proof };
  await checkClaim(devnet, target);

  const explorer = devnet.explorer();
  const client = explorer.client;
  const rpcUrl = explorer.target.rpcUrl;
  const reported = await client.getChainId().catch((err: unknown) => {
    throw rpcError(err, 'asking the chain id');
  });
  const keyTarget = { chainId: reported, devnetChainId: devnet.devnetChainId, rpcUrl };
  const signer = req.signer ?? { kind: 'contributor' };
  const args = [BigInt(target.batchId), contributor, BigInt(target.amountWei), target.proof as Hex[]] as const;

  let hash: Hash;
  let publication: Publication | null = null;
  let signerAddress: Address;
  let signerLabel: string;
  let gasTopUpWei: string | null = null;
  if (signer.kind === 'devAccount') {
    const dev = DEV_ACCOUNTS[signer.index];
    if (!dev) throw invalidArgument(`signer: dev account ${signer.index} is outside 0..${DEV_ACCOUNTS.length - 1}`, { field: 'signer' });
    signerAddress = dev.address;
    signerLabel = dev.label;
    publication = await deps.publishing.publish({ kind: 'rewards.claim', from: signer.index, batchId: target.batchId, contributor, amount: target.amountWei, proof: [...target.proof] });
    hash = publication.txHash as Hash;
  } else {
    const demo = demoContributorByAddress(contributor);
    if (!demo) {
      throw invalidArgument(`signer: ${contributor} is not a demo contributor, so Studio holds no key for it; sign with a stored key (attribution.prepareClaim, \`--key\`) or a dev account (the OPEN still goes to ${contributor}).`, { field: 'signer' });
    }
    const account = guarded(() => demoContributorAccount(demo.index, keyTarget));
    signerAddress = account.address;
    signerLabel = demo.label;
    const chain = devnetChain(reported, rpcUrl);
    if ((await client.getBalance({ address: account.address })) < GAS_FLOOR) {
      const funder = guarded(() => devAccount(0, keyTarget));
      const topUp = await createWalletClient({ account: funder, chain, transport: http(rpcUrl) }).sendTransaction({ to: account.address, value: GAS_TOP_UP });
      await client.waitForTransactionReceipt({ hash: topUp, pollingInterval: 100 });
      gasTopUpWei = GAS_TOP_UP.toString();
    }
    const call = { address: ledgerOf(devnet), abi: AttributionLedgerAbi, functionName: 'claim', args, account } as const;
    let gas: bigint;
    try {
      await client.simulateContract(call);
      gas = ((await client.estimateContractGas(call)) * 13n) / 10n + 20_000n;
    } catch (err) {
      const decoded = decodeCallError(err);
      if (decoded) throw revertedError('AttributionLedger.claim', decoded);
      throw rpcError(err, 'AttributionLedger.claim');
    }
    const named = { batchId: target.batchId, contributor, amount: target.amountWei, proof: [...target.proof] };
    let row = publicPublication(
      insertPending(db, {
        kind: 'rewards.claim',
        title: publicationTitle('rewards.claim', named, 'devnet'),
        chainId: devnet.devnetChainId,
        contract: 'AttributionLedger',
        functionName: 'claim',
        params: { kind: 'rewards.claim', signer: account.address, ...named },
      }),
    );
    deps.announce?.(row);
    const fail = (err: unknown): never => {
      const error = toApiError(err);
      deps.announce?.(updatePublication(db, row.id, { status: 'failed', error }));
      throw new StudioError(error.code, error.message, { ...(typeof error.details === 'object' && error.details !== null ? error.details : {}), publicationId: row.id });
    };
    try {
      hash = await createWalletClient({ account, chain, transport: http(rpcUrl) }).writeContract({ ...call, gas, chain });
    } catch (err) {
      const decoded = decodeCallError(err);
      return fail(decoded ? revertedError('AttributionLedger.claim', decoded) : rpcError(err, 'sending AttributionLedger.claim'));
    }
    // Sent: recorded even while an import's commit holds the write lock (retryWhileBusy).
    row = await retryWhileBusy(() => updatePublication(db, row!.id, { txHash: hash }));
    deps.announce?.(row);
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 }).catch((err: unknown) => fail(rpcError(err, `waiting for AttributionLedger.claim (${hash})`)));
    if (receipt.status !== 'success') {
      const detail = await explorer.transaction(hash).catch(() => null);
      return fail(revertedError('AttributionLedger.claim', detail?.revert ?? UNKNOWN_REVERT, { hash }));
    }
    publication = await retryWhileBusy(() => updatePublication(db, row!.id, { status: 'confirmed', blockNumber: Number(receipt.blockNumber), blockHash: receipt.blockHash, result: null }));
    deps.announce?.(publication);
  }
  const receipt = await client.getTransactionReceipt({ hash });
  const before = await client.getBalance({ address: contributor, blockNumber: receipt.blockNumber - 1n });
  const after = await client.getBalance({ address: contributor, blockNumber: receipt.blockNumber });
  const gasFee = receipt.gasUsed * receipt.effectiveGasPrice;
  const paidGas = signerAddress.toLowerCase() === contributor.toLowerCase();
  return {
    batchId: target.batchId,
    contributor,
    amountWei: target.amountWei,
    hash,
    publication,
    signer: signerAddress,
    signerLabel,
    balanceBeforeWei: before.toString(),
    balanceAfterWei: after.toString(),
    gasFeeWei: gasFee.toString(),
    receivedWei: (after - before + (paidGas ? gasFee : 0n)).toString(),
    gasTopUpWei,
  };
}
