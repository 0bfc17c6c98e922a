// Sends one protocol transaction from a well-known dev account, on the local devnet only: the
// dev key guard compares the chain id the RPC reports with the workspace's devnet id. The call
// is simulated first, so a revert is reported decoded and nothing is sent.
import { BaseError, createWalletClient, http, type AbiFunction, type Hash, type TransactionReceipt } from 'viem';
import { StudioError } from '../../api/apiError';
import type { DecodedLog, DecodedRevertData } from '../../api/chainSchemas';
import { ChainErrorCode } from '../chainErrors';
import { decodeCallError, rpcError, UNKNOWN_REVERT, type ChainExplorer } from '../explorer/chainExplorer';
import { convertArgs } from './convertArgs';
import { decodeLog } from '../explorer/decodeLogs';
import { devAccount, DevKeyRefusedError } from '../keys/devKeys';
import { devnetChain } from '../devnet/devnetChain';
import { toJson } from '../explorer/toJson';

export interface SendRequest {
  contract: string;
  functionName: string;
  args: readonly unknown[];
  /** Wei. */
  value?: bigint;
  from: number;
  /** The workspace's devnet chain id (settings.chain.chainId). */
  devnetChainId: number;
}

export interface SendOutcome {
  hash: Hash;
  receipt: TransactionReceipt;
  /** The simulated return value, JSON-safe. */
  result: unknown;
  events: DecodedLog[];
}

export function revertedError(what: string, decoded: DecodedRevertData, extra: Record<string, unknown> = {}): StudioError {
  return new StudioError(ChainErrorCode.Reverted, `${what} reverted: ${decoded.errorName}(${decoded.args.map((a) => JSON.stringify(a)).join(', ')})`, {
    ...decoded,
    ...extra,
  });
}

/**
 * Simulates, sends and waits for the receipt. `onSent` runs with the hash before waiting, so a
 * caller can record it. Throws CHAIN_REVERTED ({errorName, args, namedArgs, signature}), CHAIN_INVALID_ARGUMENT,
 * DEV_KEY_REFUSED or CHAIN_RPC_FAILED.
 */
export async function sendAsDevAccount(explorer: ChainExplorer, req: SendRequest, onSent?: (hash: Hash) => void): Promise<SendOutcome> {
  const { address } = explorer.contract(req.contract);
  const fn: AbiFunction = explorer.abiFunction(req.contract, req.functionName, req.args.length);
  if (fn.stateMutability === 'view' || fn.stateMutability === 'pure') {
    throw new StudioError(ChainErrorCode.InvalidArgument, `${req.contract}.${fn.name} is a ${fn.stateMutability} function: read it instead of sending a transaction.`);
  }
  if (req.value !== undefined && req.value > 0n && fn.stateMutability !== 'payable') {
    throw new StudioError(ChainErrorCode.InvalidArgument, `${req.contract}.${fn.name} is not payable: it cannot take a value.`);
  }
  const args = convertArgs(fn, req.args);
  const { rpcUrl } = explorer.target;
  const reported = await explorer.client.getChainId().catch((err: unknown) => {
    throw rpcError(err, 'asking the chain id');
  });
  let account;
  try {
    account = devAccount(req.from, { chainId: reported, devnetChainId: req.devnetChainId, rpcUrl });
  } catch (err) {
    if (err instanceof DevKeyRefusedError) {
      throw new StudioError(ChainErrorCode.DevKeyRefused, err.message, { chainId: err.chainId, devnetChainId: err.devnetChainId });
    }
    throw new StudioError(ChainErrorCode.InvalidArgument, (err as Error).message);
  }
  const call = { address, abi: [fn], functionName: fn.name, args, account, ...(req.value ? { value: req.value } : {}) } as const;
  const what = `${req.contract}.${fn.name}`;
  let simulated;
  try {
    simulated = await explorer.client.simulateContract(call as never);
  } catch (err) {
    const decoded = decodeCallError(err);
    if (decoded) throw revertedError(what, decoded);
    throw rpcError(err, what);
  }
  const wallet = createWalletClient({ account, chain: devnetChain(reported, rpcUrl), transport: http(rpcUrl) });
  let hash: Hash;
  try {
    // Estimates run against the latest block but the transaction lands in the next one, where a
    // first write to a slot (a new vote checkpoint, say) costs more: leave a margin, or it would
    // run out of gas. Unused gas is refunded.
    const estimate = await explorer.client.estimateContractGas(call as never);
    const request = { ...(simulated as { request: object }).request, gas: (estimate * 13n) / 10n + 20_000n };
    hash = await wallet.writeContract(request as never);
  } catch (err) {
    const decoded = decodeCallError(err);
    if (decoded) throw revertedError(what, decoded);
    throw rpcError(err, `sending ${what}`);
  }
  onSent?.(hash);
  const receipt = await explorer.client.waitForTransactionReceipt({ hash, pollingInterval: 100, timeout: 120_000 }).catch((err: unknown) => {
    throw rpcError(err instanceof BaseError ? err : new Error(String(err)), `waiting for ${what} (${hash})`);
  });
  if (receipt.status !== 'success') {
    // Mined but reverted (the state moved between simulation and inclusion): replay for the reason.
    const detail = await explorer.transaction(hash);
    throw revertedError(what, detail.revert ?? UNKNOWN_REVERT, { hash });
  }
  return {
    hash,
    receipt,
    result: toJson((simulated as { result: unknown }).result),
    events: receipt.logs.map((l) => decodeLog(l, explorer.contractNameOf)),
  };
}
