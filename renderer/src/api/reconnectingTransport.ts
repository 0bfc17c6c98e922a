import type { ApiTransport } from '../../../main/api/apiClient';
import { createSocketTransport, type SocketLike } from '../../../main/api/socketTransport';
import type { ResponseMessage } from '../../../main/api/wire';

export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/** A browser WebSocket as far as this module needs; tests pass a fake. */
export interface WebSocketLike extends SocketLike {
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}

export interface ReconnectingOptions {
  openSocket: () => WebSocketLike;
  onState: (state: ConnectionState, attempt: number) => void;
  /** A request made while the socket is down waits this long for it to come back. */
  requestWaitMs?: number;
  /** After this many failed attempts in a row the state reads 'disconnected' (it keeps trying). */
  attemptsBeforeDisconnected?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/** 0.5 s, 1 s, 2 s, 4 s, then every 8 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** Math.max(0, attempt - 1));
}

const disconnected = (message: string): ResponseMessage => ({
  type: 'response',
  id: null,
  ok: false,
  error: { code: 'DISCONNECTED', message },
});

/**
 * One ApiTransport over a WebSocket that comes back after it drops. Requests made while it is
 * down wait for the next connection (up to `requestWaitMs`) and then fail with DISCONNECTED;
 * event listeners survive reconnections. `onReconnected` lets stores reload what they show.
 */
export function createReconnectingTransport(options: ReconnectingOptions): ApiTransport & {
  onReconnected(listener: () => void): () => void;
  dispose(): void;
} {
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
  const requestWaitMs = options.requestWaitMs ?? 10_000;
  const threshold = options.attemptsBeforeDisconnected ?? 3;

  const eventListeners = new Set<(event: string, data: unknown) => void>();
  const reconnectedListeners = new Set<() => void>();
  let waiting: Array<() => void> = [];
  let current: ApiTransport | null = null;
  let attempt = 0;
  let everConnected = false;
  let disposed = false;
  let retryTimer: unknown = null;

  const connect = () => {
    if (disposed) return;
    const socket = options.openSocket();
    let opened = false;
    socket.addEventListener('open', () => {
      opened = true;
      const transport = createSocketTransport(socket);
      transport.onEvent((event, data) => {
        for (const l of eventListeners) l(event, data);
      });
      current = transport;
      attempt = 0;
      options.onState('connected', 0);
      const flush = waiting;
      waiting = [];
      for (const resume of flush) resume();
      if (everConnected) for (const l of reconnectedListeners) l();
      everConnected = true;
    });
    socket.addEventListener('close', () => {
      if (opened) current = null;
      if (disposed) return;
      attempt++;
      options.onState(attempt > threshold ? 'disconnected' : everConnected ? 'reconnecting' : 'connecting', attempt);
      retryTimer = setTimer(connect, reconnectDelayMs(attempt));
    });
  };

  options.onState('connecting', 0);
  connect();

  const waitForConnection = (): Promise<ApiTransport | null> =>
    new Promise((resolve) => {
      const timer = setTimer(() => {
        waiting = waiting.filter((w) => w !== resume);
        resolve(null);
      }, requestWaitMs);
      const resume = () => {
        clearTimer(timer);
        resolve(current);
      };
      waiting.push(resume);
    });

  return {
    async request(method, params) {
      const transport = current ?? (await waitForConnection());
      if (!transport) return disconnected('The Studio core is not reachable; the request was not sent.');
      return transport.request(method, params);
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onReconnected(listener) {
      reconnectedListeners.add(listener);
      return () => reconnectedListeners.delete(listener);
    },
    dispose() {
      disposed = true;
      if (retryTimer !== null) clearTimer(retryTimer);
    },
  };
}
