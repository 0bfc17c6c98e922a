import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'studio_token';

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

export function cookieValue(req: IncomingMessage, name: string): string | null {
  const header = req.headers.cookie;
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** The token a request presents: cookie (browsers), `?token=` (first load), or a Bearer header (scripts). */
export function presentedToken(req: IncomingMessage, url: URL): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7);
  return url.searchParams.get('token') ?? cookieValue(req, TOKEN_COOKIE);
}

export type Verdict = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/**
 * Loopback-only rules. The Host must name the loopback address and our port, which defeats DNS
 * rebinding (a hostile name resolving to 127.0.0.1 still sends its own name as Host). An Origin,
 * when a browser sends one, must be our own, which blocks cross-site pages from using the API.
 */
export function checkRequest(req: IncomingMessage, url: URL, port: number, token: string): Verdict {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host)) return { ok: false, status: 403, reason: `Host "${host}" is not this loopback server.` };
  const origin = req.headers.origin;
  if (origin !== undefined && !isOwnOrigin(origin, allowedHosts)) {
    return { ok: false, status: 403, reason: `Origin "${origin}" may not use this server.` };
  }
  if (!tokenMatches(presentedToken(req, url), token)) {
    return { ok: false, status: 401, reason: 'Missing or wrong launch token: open the URL that `studio serve` printed.' };
  }
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
