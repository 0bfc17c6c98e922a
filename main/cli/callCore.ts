import { StudioError } from '../api/apiError';
import type { MethodName, MethodParams, MethodResult } from '../api/contract';
import type { StudioCore } from '../core/studioCore';

/** One API call on an embedded core, so the CLI validates and fails exactly as the UI's calls do. */
export async function callCore<M extends MethodName>(core: StudioCore, method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
  const out = await core.request(method, params);
  if (!out.ok) throw new StudioError(out.error.code, out.error.message, out.error.details);
  return out.result as MethodResult<M>;
}
