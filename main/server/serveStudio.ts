import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';
import { MAX_MESSAGE_BYTES } from '../api/wire';
import { CONTENT_SECURITY_POLICY } from '../core/contentSecurityPolicy';
import type { StudioCore } from '../core/studioCore';
import { API_PROTOCOL, MISSING_TOKEN, checkApiRequest, checkOrigin, newLaunchToken, tokenMatches } from './authGuard';
import { bridgeSocket } from './socketBridge';
import { serveStatic } from './staticFiles';
import { OpenAiError, handleOpenAi, sendOpenAiError, type AttributeCompletion } from '../playground/openaiEndpoint';
import { StudioError } from '../api/apiError';
import type { ResponseAttribution } from '../api/attributionSchemas';

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
  /** The URL to open: carries the token once; the page keeps it in its own (per-port) storage. */
  url: string;
  close(): Promise<void>;
}

/**
 * A frame over this size closes the socket (ws answers 1009); between MAX_MESSAGE_BYTES and this
 * the bridge answers MESSAGE_TOO_LARGE and the connection stays. Small enough that a client
 * cannot make the server buffer much, large enough that an over-size request gets a clear error.
 */
export const MAX_FRAME_BYTES = 4 * MAX_MESSAGE_BYTES;

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

function plain(res: http.ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...securityHeaders, ...extra, 'content-type': 'text/plain; charset=utf-8' }).end(text + '\n');
}

/** The request path, or null when the request line is not one we can read. */
function requestPath(req: http.IncomingMessage): URL | null {
  const raw = req.url ?? '/';
  // Origin-form only ("/path?query"): absolute-form and authority-form are for proxies.
  if (!raw.startsWith('/')) return null;
  try {
    return new URL(raw, 'http://127.0.0.1');
  } catch {
    return null;
  }
}

/**
 * Serve mode: the renderer build and the WebSocket API on 127.0.0.1 only. The API needs the
 * per-launch token, presented as a Bearer header or (from the page) a WebSocket subprotocol; no
 * cookie is ever set, so no credential can reach another server on this host.
 */
export async function serveStudio(core: StudioCore, opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? newLaunchToken();
  const rendererDir = path.resolve(opts.rendererDir ?? defaultRendererDir());
  let port = 0;
  // Nothing a client sends may take the server down: a throw in a handler is logged and ends
  // that one request, and every other client keeps being answered.
  const internal = (where: string, err: unknown) => core.log.write('error', 'server', `${where} failed: ${(err as Error)?.message ?? String(err)}`);

  const handleHttp = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = requestPath(req);
    if (!url) return plain(res, 400, 'Bad request target.');
    const origin = checkOrigin(req, port);
    if (!origin.ok) return plain(res, origin.status, origin.reason);
    // Every path that is not the public page must pass checkApiRequest before the static
    // fallback below, which answers any unknown path with index.html: a new HTTP endpoint (the
    // OpenAI-compatible one, say) belongs here, behind the Bearer token.
    // The OpenAI-compatible endpoint: the launch token is its API key (Bearer), its errors are in
    // OpenAI's shape so clients show them.
    if (url.pathname === '/v1' || url.pathname.startsWith('/v1/')) {
      const verdict = checkApiRequest(req, port, token);
      if (!verdict.ok) return sendOpenAiError(res, new OpenAiError(verdict.status, verdict.reason, 'invalid_request_error', verdict.status === 401 ? 'invalid_api_key' : 'forbidden'), securityHeaders);
      // The `attribution` extension goes through the same method the playground's heatmap calls.
      const attribute: AttributeCompletion = async (p) => {
        const out = await core.request('attribution.attribute', { ...p, record: false });
        if (!out.ok) throw new StudioError(out.error.code, out.error.message, out.error.details);
        return out.result as ResponseAttribution;
      };
      return void handleOpenAi(req, res, url.pathname, core.playground, securityHeaders, attribute).catch((err) => internal('/v1 request', err));
    }
    if (url.pathname === '/api' || url.pathname.startsWith('/api/')) {
      const verdict = checkApiRequest(req, port, token);
      if (!verdict.ok) return plain(res, verdict.status, verdict.reason);
      // The page asks here whether the token it holds is still this launch's.
      if (url.pathname === '/api/session') return void res.writeHead(204, securityHeaders).end();
      return plain(res, 426, 'The API is a WebSocket at /api.', { upgrade: 'websocket' });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return void res.writeHead(405, { ...securityHeaders, allow: 'GET, HEAD' }).end();
    // The first load carries the token in the query for the page to keep; a wrong one is refused
    // here so a mistyped URL says so at once. Nothing is redirected: no Location to abuse.
    const offered = url.searchParams.get('token');
    if (offered !== null && !tokenMatches(offered, token)) return plain(res, 401, MISSING_TOKEN);
    serveStatic(rendererDir, url.pathname, res, securityHeaders);
  };

  const server = http.createServer((req, res) => {
    try {
      handleHttp(req, res);
    } catch (err) {
      internal(`HTTP ${req.method} request`, err);
      if (!res.headersSent) plain(res, 400, 'Bad request.');
      else res.destroy();
    }
  });
  // Node's parser errors: answered and closed here, as Node does by default, but never thrown.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable) return void socket.destroy();
    const status = err.code === 'HPE_HEADER_OVERFLOW' ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_FRAME_BYTES,
    perMessageDeflate: false,
    // The page offers the token as a second subprotocol; answer with the plain one only.
    handleProtocols: (protocols) => (protocols.has(API_PROTOCOL) ? API_PROTOCOL : false),
  });
  wss.on('error', (err) => internal('WebSocket server', err));
  wss.on('wsClientError', (_err, socket) => socket.destroy());

  const refuse = (socket: Duplex, status: number, reason: string) => {
    const text = status === 401 ? 'Unauthorized' : status === 400 ? 'Bad Request' : 'Forbidden';
    socket.end(`HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${reason}\n`);
  };
  server.on('upgrade', (req, socket, head) => {
    // A client that resets mid-handshake must not raise an unhandled 'error'.
    socket.on('error', () => socket.destroy());
    try {
      const url = requestPath(req);
      if (!url) return refuse(socket, 400, 'Bad request target.');
      if (url.pathname !== '/api') return refuse(socket, 403, 'Not the API endpoint.');
      const verdict = checkApiRequest(req, port, token);
      if (!verdict.ok) return refuse(socket, verdict.status, verdict.reason);
      wss.handleUpgrade(req, socket, head, (ws) => bridgeSocket(ws, core));
    } catch (err) {
      internal('WebSocket upgrade', err);
      socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  server.on('error', (err) => internal('HTTP server', err));

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
