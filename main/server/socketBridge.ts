import type { RawData, WebSocket } from 'ws';
import { ErrorCode } from '../api/apiError';
import { formatZodIssues } from '../api/apiError';
import { findDepthExcess } from '../api/jsonDepth';
import { MAX_MESSAGE_BYTES, RequestMessageSchema, type ServerMessage } from '../api/wire';
import type { StudioCore } from '../core/studioCore';

type Fail = (id: string | number | null, code: string, message: string) => void;

/**
 * Carries the API over one WebSocket: every message is size-, depth- and shape-checked before
 * the core sees it; a bad message gets an error response and the connection stays open. What
 * `ws` itself refuses (a frame over maxPayload, text that is not UTF-8) closes this socket only.
 */
export function bridgeSocket(socket: WebSocket, core: StudioCore): void {
  const send = (m: ServerMessage) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(m));
  };
  const fail: Fail = (id, code, message) => send({ type: 'response', id, ok: false, error: { code, message } });

  const unsubscribe = core.onEvent((event, data) => send({ type: 'event', event, data }));
  socket.on('close', unsubscribe);
  // ws reports protocol violations as an 'error' event and then closes the socket with the
  // matching code (1009, 1007, 1002); without a listener Node would throw it and end the process.
  socket.on('error', (err) => core.log.write('warn', 'server', `Closed an API connection: ${err.message}`));

  socket.on('message', (raw, isBinary) => {
    handleMessage(raw, isBinary, core, send, fail).catch((err: unknown) => {
      core.log.write('error', 'server', `API message handling failed: ${(err as Error)?.message ?? String(err)}`);
      fail(null, ErrorCode.Internal, 'The server could not handle that message.');
    });
  });
}

async function handleMessage(raw: RawData, isBinary: boolean, core: StudioCore, send: (m: ServerMessage) => void, fail: Fail): Promise<void> {
  const size = Array.isArray(raw) ? raw.reduce((n, b) => n + b.length, 0) : (raw as Buffer | ArrayBuffer).byteLength;
  if (isBinary) return fail(null, ErrorCode.InvalidRequest, 'Binary messages are not part of the API; send JSON text.');
  if (size > MAX_MESSAGE_BYTES) {
    return fail(null, ErrorCode.MessageTooLarge, `Message of ${size} bytes exceeds the ${MAX_MESSAGE_BYTES}-byte limit.`);
  }
  const text = raw.toString();
  const deep = findDepthExcess(text);
  if (deep) return fail(null, ErrorCode.InvalidRequest, `Message nests deeper than ${deep.limit} levels (at character ${deep.offset}).`);
  let json: unknown;
  try {
    json = JSON.parse(text);
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
}
