// Turns a failed protocol call into data the UI and CLI can show: the custom error's name and
// arguments, decoded with every protocol ABI (a revert may come from a contract the called one
// called, e.g. ModelRegistry.UnknownModel surfacing through AttributionLedger).
import { BaseError, ContractFunctionRevertedError, decodeErrorResult } from 'viem';
import { protocolAbi } from '../../contracts/generated/index.js';

export interface DecodedRevert {
  errorName: string;
  args: readonly unknown[];
  message: string;
}

/** The decoded custom error behind `err`, or undefined when it is not a contract revert. */
export function decodeRevert(err: unknown): DecodedRevert | undefined {
  if (!(err instanceof BaseError)) return undefined;
  const reverted = err.walk((e) => e instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError)) return undefined;
  if (reverted.data) {
    return { errorName: reverted.data.errorName, args: reverted.data.args ?? [], message: reverted.shortMessage };
  }
  // viem only knew the called contract's ABI; try all of the protocol's.
  const raw = reverted.raw;
  if (raw && raw.length >= 10) {
    try {
      const decoded = decodeErrorResult({ abi: protocolAbi, data: raw });
      return { errorName: decoded.errorName, args: decoded.args ?? [], message: reverted.shortMessage };
    } catch {
      // an error no protocol contract declares
    }
  }
  return { errorName: reverted.reason ?? 'UnknownRevert', args: [], message: reverted.shortMessage };
}
