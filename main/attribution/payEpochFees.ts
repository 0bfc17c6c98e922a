// Pays one (epoch, model)'s inference fees into the AttributionLedger, at most once whatever
// crashes. The danger is paying twice: a process killed after sending but before recording would
// send again on resume. So the transaction is signed first and stored (raw bytes and hash, state
// 'paying') before it is broadcast; on resume the stored hash decides:
//   - a receipt exists: it landed (success: 'paid'; reverted: nothing was paid, back to 'closed');
//   - no receipt: the same raw bytes are broadcast again. They can land at most once (same hash),
//     and if their nonce was taken by another transaction meanwhile they can never land, so only
//     then is a new transaction signed.
// Dev account #0 (the devnet's deployer and operator) pays on behalf of the playground's users.
import { createWalletClient, decodeEventLog, encodeFunctionData, http, keccak256, type Hash, type Hex, type TransactionReceipt } from 'viem';
import { AttributionLedgerAbi } from '../../contracts/generated/index.js';
import { StudioError } from '../api/apiError';
import type { DevnetService } from '../chain/devnet/devnetService';
import { devnetChain } from '../chain/devnet/devnetChain';
import { ChainErrorCode } from '../chain/chainErrors';
import { decodeCallError, rpcError, UNKNOWN_REVERT } from '../chain/explorer/chainExplorer';
import { devAccount, DevKeyRefusedError } from '../chain/keys/devKeys';
import { revertedError } from '../chain/writes/sendAsDevAccount';
import type { Db } from '../workspace/openDatabase';
import { getSettlement, updateSettlement, type SettlementRow } from './settlementsRepository';

/** Test seams standing in for a kill at the worst moments: after signing and storing, and after
 * broadcasting but before the receipt is recorded. */
export interface PayHooks {
  afterPaySigned?: () => void;
  afterPaySent?: () => void;
}

const PAYER = 0;

function payer(devnet: DevnetService, reportedChainId: number) {
  try {
    return devAccount(PAYER, { chainId: reportedChainId, devnetChainId: devnet.devnetChainId, rpcUrl: devnet.explorer().target.rpcUrl });
  } catch (err) {
    if (err instanceof DevKeyRefusedError) throw new StudioError(ChainErrorCode.DevKeyRefused, err.message, { chainId: err.chainId, devnetChainId: err.devnetChainId });
    throw err;
  }
}

/** The contributors' part of the fees, as the ledger's InferenceFeesPaid event reports it. */
function poolFrom(receipt: TransactionReceipt, ledger: string): bigint {
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== ledger.toLowerCase()) continue;
    try {
      const ev = decodeEventLog({ abi: AttributionLedgerAbi, data: log.data, topics: log.topics });
      if (ev.eventName === 'InferenceFeesPaid') return ev.args.toContributors;
    } catch {
      // Another event of the ledger.
    }
  }
  throw new Error(`payInferenceFees receipt ${receipt.transactionHash} has no InferenceFeesPaid event`);
}

function settlePaid(db: Db, row: SettlementRow, receipt: TransactionReceipt): SettlementRow {
  return updateSettlement(db, row.epoch, row.model_key, { state: 'paid', pool_wei: poolFrom(receipt, row.ledger!).toString(), pay_gas: Number(receipt.gasUsed) });
}

async function receiptOf(devnet: DevnetService, hash: Hash): Promise<TransactionReceipt | null> {
  return devnet.explorer().client.getTransactionReceipt({ hash }).catch(() => null);
}

/** The receipt of a transaction whose nonce is already used, if it is this one: asked for a few
 * seconds, since a node can answer the nonce before it serves the receipt. */
async function landedReceipt(devnet: DevnetService, hash: Hash): Promise<TransactionReceipt | null> {
  return devnet
    .explorer()
    .client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 5_000 })
    .catch(() => null);
}

async function waitFor(devnet: DevnetService, hash: Hash): Promise<TransactionReceipt> {
  return devnet
    .explorer()
    .client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 })
    .catch((err: unknown) => {
      throw rpcError(err, `waiting for payInferenceFees (${hash})`);
    });
}

/** Moves a row from 'closed' or 'paying' to 'paid'. `modelId` is the on-chain model. */
export async function payEpochFees(db: Db, devnet: DevnetService, start: SettlementRow, modelId: string, hooks: PayHooks = {}): Promise<SettlementRow> {
  let row = start;
  const explorer = devnet.explorer();
  if (row.state === 'paying') {
    const hash = row.pay_tx as Hash;
    const receipt = await receiptOf(devnet, hash);
    if (receipt?.status === 'success') return settlePaid(db, row, receipt);
    if (receipt) {
      row = updateSettlement(db, row.epoch, row.model_key, { state: 'closed', pay_raw_tx: null, pay_tx: null });
    } else {
      try {
        await explorer.client.sendRawTransaction({ serializedTransaction: row.pay_raw_tx as Hex });
      } catch (err) {
        const text = String((err as Error).message ?? err);
        if (/nonce too low|nonce.*already been used|replacement transaction/i.test(text)) {
          // Its nonce is used: by these very bytes, mined between the receipt lookup above and
          // this send (seen under load: paying twice), or by another transaction. Only a receipt
          // for this hash tells them apart; without one it can never land.
          const ours = await landedReceipt(devnet, hash);
          if (ours?.status === 'success') return settlePaid(db, row, ours);
          row = updateSettlement(db, row.epoch, row.model_key, { state: 'closed', pay_raw_tx: null, pay_tx: null });
        } else if (!/already known|already imported/i.test(text)) {
          throw rpcError(err, `re-sending payInferenceFees (${hash})`);
        }
      }
      if (row.state === 'paying') {
        const landed = await waitFor(devnet, hash);
        if (landed.status === 'success') return settlePaid(db, row, landed);
        row = updateSettlement(db, row.epoch, row.model_key, { state: 'closed', pay_raw_tx: null, pay_tx: null });
      }
    }
  }
  if (row.state !== 'closed') return row;

  const ledger = explorer.contract('AttributionLedger').address;
  const reported = await explorer.client.getChainId().catch((err: unknown) => {
    throw rpcError(err, 'asking the chain id');
  });
  const account = payer(devnet, reported);
  const args = [BigInt(modelId), BigInt(row.inference_count)] as const;
  const value = BigInt(row.fees_wei);
  const call = { address: ledger, abi: AttributionLedgerAbi, functionName: 'payInferenceFees', args, value, account } as const;
  let gas: bigint;
  try {
    await explorer.client.simulateContract(call);
    gas = ((await explorer.client.estimateContractGas(call)) * 13n) / 10n + 20_000n;
  } catch (err) {
    const decoded = decodeCallError(err);
    if (decoded) throw revertedError('AttributionLedger.payInferenceFees', decoded);
    throw rpcError(err, 'AttributionLedger.payInferenceFees');
  }
  const rpcUrl = explorer.target.rpcUrl;
  const wallet = createWalletClient({ account, chain: devnetChain(reported, rpcUrl), transport: http(rpcUrl) });
  const nonce = await explorer.client.getTransactionCount({ address: account.address, blockTag: 'pending' });
  const request = await wallet.prepareTransactionRequest({ to: ledger, data: encodeFunctionData({ abi: AttributionLedgerAbi, functionName: 'payInferenceFees', args }), value, gas, nonce, chain: wallet.chain });
  const raw = await wallet.signTransaction(request as never);
  const hash = keccak256(raw);
  row = updateSettlement(db, row.epoch, row.model_key, { state: 'paying', chain_id: devnet.devnetChainId, ledger, onchain_model_id: modelId, pay_raw_tx: raw, pay_tx: hash });
  hooks.afterPaySigned?.();
  try {
    await explorer.client.sendRawTransaction({ serializedTransaction: raw });
  } catch (err) {
    // Left 'paying': the resume above finds out whether these bytes landed.
    throw rpcError(err, `sending payInferenceFees (${hash})`);
  }
  hooks.afterPaySent?.();
  const receipt = await waitFor(devnet, hash);
  if (receipt.status !== 'success') {
    updateSettlement(db, row.epoch, row.model_key, { state: 'closed', pay_raw_tx: null, pay_tx: null });
    const detail = await explorer.transaction(hash).catch(() => null);
    throw revertedError('AttributionLedger.payInferenceFees', detail?.revert ?? UNKNOWN_REVERT, { hash });
  }
  return settlePaid(db, getSettlement(db, row.epoch, row.model_key), receipt);
}
