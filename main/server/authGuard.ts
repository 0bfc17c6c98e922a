import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * The WebSocket subprotocol the page asks for. Browsers cannot set headers on a WebSocket, so
 * the page offers a second protocol `studio.token.<TOKEN>` that carries the launch token to this
 * server only; the server answers with this one, never echoing the token.
 */
export const API_PROTOCOL = 'studio';
export const TOKEN_PROTOCOL_PREFIX = 'studio.token.';

export function newLaunchToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Constant-time comparison so the token cannot be guessed byte by byte from timings. */
export function tokenMatches(candidate: string | null | undefined, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** The subprotocols a WebSocket upgrade offers, as the header lists them. */
export function offeredProtocols(req: IncomingMessage): string[] {
  const header = req.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return [];
  return header.split(',').map((p) => p.trim()).filter((p) => p.length > 0);
}

/**
 * The token a request presents: a Bearer header (scripts, the CLI, later API keys) or, on a
 * WebSocket upgrade, the `studio.token.` subprotocol (the page). There is deliberately no cookie:
 * browsers send cookies to every port of a host, so a cookie would reach any other local server.
 */
export function presentedToken(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth !== undefined && /^bearer /i.test(auth)) return auth.slice(7).trim();
  const carried = offeredProtocols(req).find((p) => p.startsWith(TOKEN_PROTOCOL_PREFIX));
  return carried ? carried.slice(TOKEN_PROTOCOL_PREFIX.length) : null;
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

export const MISSING_TOKEN = 'Missing or wrong launch token: open the URL that `studio serve` printed.';

/**
 * Loopback-only rules. The Host must name the loopback address and our port, which defeats DNS
 * rebinding (a hostile name resolving to 127.0.0.1 still sends its own name as Host). An Origin,
 * when a browser sends one, must be our own, which blocks cross-site pages from using the API.
 * The page itself (the renderer build) is public code and needs no token; the API does.
 */
export function checkOrigin(req: IncomingMessage, port: number): Verdict {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host)) return { ok: false, status: 403, reason: `Host "${host.slice(0, 100)}" is not this loopback server.` };
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, allowedHosts)) {
    return { ok: false, status: 403, reason: `Origin "${origin.slice(0, 100)}" may not use this server.` };
  }
  return { ok: true };
}

/** Origin rules plus the launch token: what every API request and upgrade must pass. */
export function checkApiRequest(req: IncomingMessage, port: number, token: string): Verdict {
  const origin = checkOrigin(req, port);
  if (!origin.ok) return origin;
  if (!tokenMatches(presentedToken(req), token)) return { ok: false, status: 401, reason: MISSING_TOKEN };
  return { ok: true };
}

function isOwnOrigin(origin: string, allowedHosts: Set<string>): boolean {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && allowedHosts.has(u.host);
  } catch {
    return false;
  }
}
