import type { ApiErrorData } from './apiError';
import type { EventName, EventPayload, MethodName, MethodParams, MethodResult } from './contract';
import type { ResponseMessage } from './wire';

/**
 * A transport moves envelopes; it knows nothing of method names. Electron IPC, the browser's
 * WebSocket and Node's `ws` each implement it in a few lines.
 */
export interface ApiTransport {
  request(method: string, params: unknown): Promise<ResponseMessage>;
  /** Every pushed event; returns an unsubscribe function. */
  onEvent(listener: (event: string, data: unknown) => void): () => void;
}

/** The error a failed call rejects with: the server's `{code, message, details}` as an Error. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  readonly code: string;
  readonly details: unknown;
  constructor(readonly method: string, error: ApiErrorData) {
    super(error.message);
    this.code = error.code;
    this.details = error.details;
  }
}

/** Typed calls over any transport. Types come from the contract; no runtime schema is bundled. */
export class ApiClient {
  constructor(private readonly transport: ApiTransport) {}

  async call<M extends MethodName>(method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
    const response = await this.transport.request(method, params);
    if (!response.ok) throw new ApiCallError(method, response.error);
    return response.result as MethodResult<M>;
  }

  on<E extends EventName>(event: E, listener: (data: EventPayload<E>) => void): () => void {
    return this.transport.onEvent((name, data) => {
      if (name === event) listener(data as EventPayload<E>);
    });
  }
}
