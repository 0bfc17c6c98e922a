import type { WebSocket } from 'ws';
import { ErrorCode } from '../api/apiError';
import { formatZodIssues } from '../api/apiError';
import { MAX_MESSAGE_BYTES, RequestMessageSchema, type ServerMessage } from '../api/wire';
import type { StudioCore } from '../core/studioCore';

/**
 * Carries the API over one WebSocket: every message is size-checked and validated before the
 * core sees it; a bad message gets an error response and the connection stays open.
 */
export function bridgeSocket(socket: WebSocket, core: StudioCore): void {
  const send = (m: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
  };
  const fail = (id: string | number | null, code: string, message: string) =>
    send({ type: 'response', id, ok: false, error: { code, message } });

  const unsubscribe = core.onEvent((event, data) => send({ type: 'event', event, data }));
  socket.on('close', unsubscribe);

  socket.on('message', async (raw, isBinary) => {
    const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : (raw as Buffer | ArrayBuffer).byteLength;
    if (isBinary) return fail(null, ErrorCode.InvalidRequest, 'Binary messages are not part of the API; send JSON text.');
    if (size > MAX_MESSAGE_BYTES) {
      return fail(null, ErrorCode.MessageTooLarge, `Message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString());
    } catch (err) {
      return fail(null, ErrorCode.InvalidRequest, `Message is not valid JSON: ${(err as Error).message}`);
    }
    const parsed = RequestMessageSchema.safeParse(json);
    if (!parsed.success) {
      const id = typeof json === 'object' && json !== null && 'id' in json ? (json as { id: unknown }).id : null;
      const safeId = typeof id === 'number' || (typeof id === 'string' && id.length <= 64) ? id : null;
      return fail(safeId, ErrorCode.InvalidRequest, `Malformed request: ${formatZodIssues(parsed.error)}`);
    }
    const { id, method, params } = parsed.data;
    const outcome = await core.request(method, params);
    send({ type: 'response', id, ...outcome });
  });
}
