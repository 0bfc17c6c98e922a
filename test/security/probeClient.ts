import net from 'node:net';
import WebSocket from 'ws';
import type { StudioServer } from '../support/serveProcess';

/**
 * Low-level clients for probing a running `studio serve`: raw HTTP over TCP (so nothing in
 * between tidies a malformed request), API sockets, and the liveness check every probe ends with.
 */

/** Sends raw bytes and resolves with whatever came back before the server closed or 5 s passed. */
export function rawHttp(port: number, request: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, 5000);
    socket.on('data', (d) => {
      data += d.toString('latin1');
    });
    socket.on('end', done);
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

/** A raw request with the usual headers filled in; `lines` are extra header lines. */
export function rawRequest(server: StudioServer, target: string, lines: string[] = []): string {
  return [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, ...lines, 'Connection: close', '', ''].join('\r\n');
}

/** The status code of a raw HTTP answer, or 0 when there was none. */
export function statusOf(response: string): number {
  const m = /^HTTP\/1\.1 (\d{3})/.exec(response);
  return m ? Number(m[1]) : 0;
}

export function openApi(server: StudioServer, opts: { headers?: Record<string, string>; protocols?: string[] } = {}): WebSocket {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/api`, opts.protocols ?? [], {
    headers: { authorization: `Bearer ${server.token}`, ...opts.headers },
  });
  // ws's client reports a refused or failed socket as an error event; probes read the close
  // that follows (or opened()'s rejection) instead.
  socket.on('error', () => {});
  return socket;
}

export function opened(socket: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
}

export interface Response {
  type: 'response';
  id: string | number | null;
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

/** What a socket did after a send: the next response, or how it closed. */
export type Outcome = { kind: 'response'; message: Response } | { kind: 'closed'; code: number };

/** Sends one frame and waits for the next response (events are skipped) or the close. */
export function exchange(socket: WebSocket, data: string | Buffer, opts: { binary?: boolean } = {}): Promise<Outcome> {
  return new Promise((resolve) => {
    const onMessage = (raw: Buffer) => {
      const msg = JSON.parse(raw.toString()) as { type: string };
      if (msg.type !== 'response') return;
      cleanup();
      resolve({ kind: 'response', message: msg as Response });
    };
    const onClose = (code: number) => {
      cleanup();
      resolve({ kind: 'closed', code });
    };
    const cleanup = () => {
      socket.off('message', onMessage);
      socket.off('close', onClose);
    };
    socket.on('message', onMessage);
    socket.on('close', onClose);
    socket.send(data, { binary: opts.binary ?? false });
  });
}

let nextId = 1;
export async function call(socket: WebSocket, method: string, params: unknown = {}): Promise<Response> {
  const outcome = await exchange(socket, JSON.stringify({ type: 'request', id: nextId++, method, params }));
  if (outcome.kind !== 'response') throw new Error(`the socket closed (${outcome.code}) instead of answering ${method}`);
  return outcome.message;
}

/**
 * The check after every probe: a client connected before the probe still gets answers, and a
 * new client can connect, authenticate and be answered.
 */
export async function expectServerAnswers(server: StudioServer, keeper: WebSocket): Promise<void> {
  const before = await call(keeper, 'app.info');
  if (!before.ok) throw new Error(`the connected client got ${JSON.stringify(before.error)}`);
  const fresh = openApi(server);
  try {
    await opened(fresh);
    const info = await call(fresh, 'workspace.current');
    if (!info.ok) throw new Error(`a new client got ${JSON.stringify(info.error)}`);
  } finally {
    fresh.close();
  }
}
