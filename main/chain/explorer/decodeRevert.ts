// Turns a failed protocol call into data the UI and CLI can show: the custom error's name and
// arguments, decoded with every protocol ABI (a revert may come from a contract the called one
// called, e.g. ModelRegistry.UnknownModel surfacing through AttributionLedger).
import { BaseError, ContractFunctionRevertedError, decodeErrorResult, type AbiItem } from 'viem';
import { formatAbiItem } from 'viem/utils';
import { protocolAbi } from '../../../contracts/generated/index.js';

export interface DecodedRevert {
  errorName: string;
  /** Positional, as declared (raw viem values: bigints stay bigints). */
  args: readonly unknown[];
  /** The same values by input name (the index when an input is unnamed). */
  namedArgs: Record<string, unknown>;
  /** "InsufficientWrapped(address,uint256,uint256)"; null when no ABI declares the error. */
  signature: string | null;
  message: string;
}

/** Names and signature of a decoded error from the ABI item viem matched. */
export function describeError(abiItem: AbiItem | undefined, args: readonly unknown[]): { namedArgs: Record<string, unknown>; signature: string | null } {
  if (!abiItem || abiItem.type !== 'error') return { namedArgs: {}, signature: null };
  const inputs = abiItem.inputs;
  return {
    namedArgs: Object.fromEntries(args.map((v, i) => [inputs[i]?.name || String(i), v])),
    signature: formatAbiItem(abiItem),
  };
}

/** The decoded custom error behind `err`, or undefined when it is not a contract revert. */
export function decodeRevert(err: unknown): DecodedRevert | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  if (reverted.data) {
    const args = reverted.data.args ?? [];
    return { errorName: reverted.data.errorName, args, ...describeError(reverted.data.abiItem, args), message: reverted.shortMessage };
  }
  // viem only knew the called contract's ABI; try all of the protocol's.
  const raw = reverted.raw;
  if (raw && raw.length >= 10) {
    try {
      const decoded = decodeErrorResult({ abi: protocolAbi, data: raw });
      const args = decoded.args ?? [];
      return { errorName: decoded.errorName, args, ...describeError(decoded.abiItem, args), message: reverted.shortMessage };
    } catch {
      // an error no protocol contract declares
    }
  }
  return { errorName: reverted.reason ?? 'UnknownRevert', args: [], namedArgs: {}, signature: null, message: reverted.shortMessage };
}
