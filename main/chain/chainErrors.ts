import { StudioError } from '../api/apiError';

/** Error codes of the chain capability (shared ones live in main/api/apiError.ts). */
export const ChainErrorCode = {
  NotRunning: 'CHAIN_NOT_RUNNING',
  Reverted: 'CHAIN_REVERTED',
  InvalidArgument: 'CHAIN_INVALID_ARGUMENT',
  ChainIdMismatch: 'CHAIN_ID_MISMATCH',
  RpcFailed: 'CHAIN_RPC_FAILED',
  /** Connection refused, DNS failure or no answer within the timeout. */
  RpcUnreachable: 'CHAIN_RPC_UNREACHABLE',
  /** chain.confirmWrite of an unknown, used, discarded or expired preparedId. */
  PreparedExpired: 'CHAIN_PREPARED_EXPIRED',
  DevKeyRefused: 'DEV_KEY_REFUSED',
  StartFailed: 'CHAIN_START_FAILED',
} as const;

export function chainNotRunning(extra = ''): StudioError {
  return new StudioError(ChainErrorCode.NotRunning, `The local devnet is not running${extra}. Start it with chain.start or \`studio devnet start\`.`);
}

export function invalidArgument(message: string, details?: unknown): StudioError {
  return new StudioError(ChainErrorCode.InvalidArgument, message, details);
}
