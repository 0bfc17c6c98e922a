// Asks an RPC which chain it is, with a deadline: a remote network may be down, slow or another
// chain than the user said, and each case must come back as a clear error instead of a hang.
import { StudioError } from '../../api/apiError';
import { ChainErrorCode } from '../chainErrors';

/** Long enough for a far RPC over a slow link, short enough that a dead one is reported fast. */
export const RPC_CHECK_TIMEOUT_MS = 5_000;

async function call<T>(rpcUrl: string, method: string, timeoutMs: number): Promise<T> {
  let res: Response;
  try {
    res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    const why =
      e.name === 'TimeoutError' || e.name === 'AbortError'
        ? `no answer within ${timeoutMs} ms`
        : (e.cause?.code ?? e.cause?.message ?? e.message);
    throw new StudioError(ChainErrorCode.RpcUnreachable, `The RPC at ${rpcUrl} is unreachable (${why}).`, { rpcUrl, reason: why, timeoutMs });
  }
  let body: { result?: T; error?: { message?: string } };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new StudioError(ChainErrorCode.RpcFailed, `The RPC at ${rpcUrl} answered ${method} with HTTP ${res.status} and no JSON-RPC body.`, { rpcUrl, status: res.status });
  }
  if (body.error || body.result === undefined) {
    throw new StudioError(ChainErrorCode.RpcFailed, `The RPC at ${rpcUrl} refused ${method}: ${body.error?.message ?? 'no result'}.`, { rpcUrl, method });
  }
  return body.result;
}

/**
 * eth_chainId and eth_blockNumber, each within `timeoutMs`. Throws CHAIN_RPC_UNREACHABLE,
 * CHAIN_RPC_FAILED, or CHAIN_ID_MISMATCH (details {rpcUrl, expected, reported}).
 */
export async function checkRpc(rpcUrl: string, expectedChainId: number, timeoutMs = RPC_CHECK_TIMEOUT_MS): Promise<{ reportedChainId: number; block: number; latencyMs: number }> {
  const started = performance.now();
  const reported = Number(BigInt(await call<string>(rpcUrl, 'eth_chainId', timeoutMs)));
  const latencyMs = Math.round(performance.now() - started);
  if (reported !== expectedChainId) {
    throw new StudioError(
      ChainErrorCode.ChainIdMismatch,
      `The RPC at ${rpcUrl} reports chain id ${reported}, but the network was added as chain ${expectedChainId}.`,
      { rpcUrl, expected: expectedChainId, reported },
    );
  }
  const block = Number(BigInt(await call<string>(rpcUrl, 'eth_blockNumber', timeoutMs)));
  return { reportedChainId: reported, block, latencyMs };
}
