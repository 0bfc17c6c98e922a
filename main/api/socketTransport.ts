import type { ApiTransport } from './apiClient';
import type { ResponseMessage, ServerMessage } from './wire';

/** The part of a WebSocket this transport needs: the browser's and `ws`'s both fit. */
export interface SocketLike {
  send(data: string): void;
  close(): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
}

/**
 * Correlates request ids with responses on one socket. Pending calls fail with a
 * DISCONNECTED error when the socket closes, so callers never hang.
 */
export function createSocketTransport(socket: SocketLike): ApiTransport & { close(): void } {
  let nextId = 1;
  const pending = new Map<number, (r: ResponseMessage) => void>();
  const listeners = new Set<(event: string, data: unknown) => void>();
  let closed = false;

  socket.addEventListener('message', (ev) => {
    const msg = JSON.parse(String(ev.data)) as ServerMessage;
    if (msg.type === 'event') {
      for (const l of listeners) l(msg.event, msg.data);
    } else if (typeof msg.id === 'number') {
      const resolve = pending.get(msg.id);
      pending.delete(msg.id);
      resolve?.(msg);
    }
  });
  socket.addEventListener('close', () => {
    closed = true;
    for (const [id, resolve] of pending) {
      resolve({ type: 'response', id, ok: false, error: { code: 'DISCONNECTED', message: 'The connection to the Studio core closed.' } });
    }
    pending.clear();
  });

  return {
    request(method, params) {
      if (closed) {
        return Promise.resolve({ type: 'response', id: null, ok: false, error: { code: 'DISCONNECTED', message: 'The connection to the Studio core is closed.' } });
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'request', id, method, params: params ?? {} }));
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      socket.close();
    },
  };
}
