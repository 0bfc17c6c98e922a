import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { CONTENT_SECURITY_POLICY } from '../core/contentSecurityPolicy';
import type { StudioCore } from '../core/studioCore';
import { TOKEN_COOKIE, checkRequest, newLaunchToken } from './authGuard';
import { bridgeSocket } from './socketBridge';
import { serveStatic } from './staticFiles';

export interface ServeOptions {
  /** 0 picks a free port. */
  port: number;
  /** Folder of the renderer build; defaults to <repo>/dist/renderer. */
  rendererDir?: string;
  /** Fixed token (tests); a random one per launch otherwise. */
  token?: string;
}

export interface RunningServer {
  port: number;
  token: string;
  /** The URL to open: carries the token once; the page then keeps it in a cookie. */
  url: string;
  close(): Promise<void>;
}

const securityHeaders = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

/** Both `main/server/*.ts` and `dist/node/*.mjs` sit two folders below the package root. */
export function defaultRendererDir(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'renderer');
}

/**
 * Serve mode: the renderer build and the WebSocket API on 127.0.0.1 only, behind a per-launch
 * token (Jupyter-style: `?token=` on the first load becomes an HttpOnly SameSite cookie).
 */
export async function serveStudio(core: StudioCore, opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? newLaunchToken();
  const rendererDir = path.resolve(opts.rendererDir ?? defaultRendererDir());
  let port = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = checkRequest(req, url, port, token);
    if (!verdict.ok) {
      res.writeHead(verdict.status, { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' }).end(verdict.reason + '\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...securityHeaders, allow: 'GET, HEAD' }).end();
      return;
    }
    if (url.searchParams.has('token')) {
      // Trade the URL token for a cookie and drop it from the address bar and history.
      url.searchParams.delete('token');
      res
        .writeHead(302, {
          ...securityHeaders,
          'set-cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
          location: url.pathname + url.search,
        })
        .end();
      return;
    }
    serveStatic(rendererDir, url.pathname, res, securityHeaders);
  });

  // The hard cap closes the socket; the soft cap (MAX_MESSAGE_BYTES) answers with an error.
  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = url.pathname === '/api' ? checkRequest(req, url, port, token) : ({ ok: false, status: 403, reason: 'Not the API endpoint.' } as const);
    if (!verdict.ok) {
      socket.end(`HTTP/1.1 ${verdict.status} ${verdict.status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${verdict.reason}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(ws, core));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
