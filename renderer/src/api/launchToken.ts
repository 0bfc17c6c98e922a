/**
 * Serve mode's launch token in the page. It arrives once in the URL (`?token=`), moves to
 * sessionStorage and leaves the address bar. Storage is scoped to this origin, port included,
 * unlike cookies, which browsers send to every port of a host: no other local server can read
 * it or be sent it. The page presents it as a WebSocket subprotocol (see main/server/authGuard.ts).
 */
const STORAGE_KEY = 'studio.launchToken';
const TOKEN_PROTOCOL_PREFIX = 'studio.token.';
const API_PROTOCOL = 'studio';

export interface TokenWindow {
  location: { href: string };
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

/** Keeps a `?token=` from the address in storage and strips it; returns the token held, if any. */
export function takeLaunchToken(win: TokenWindow): string | null {
  const url = new URL(win.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl !== null) {
    win.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.href);
  }
  return win.sessionStorage.getItem(STORAGE_KEY);
}

export function readLaunchToken(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(STORAGE_KEY);
}

export function forgetLaunchToken(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(STORAGE_KEY);
}

/** The subprotocols the API socket offers: the plain one the server answers with, and the token. */
export function socketProtocols(token: string): string[] {
  return [API_PROTOCOL, TOKEN_PROTOCOL_PREFIX + token];
}

/**
 * Asks the server whether a token is this launch's: 'refused' for a stale or wrong one (a
 * restarted server has a new token), 'unknown' when the server cannot be reached (the
 * reconnecting socket reports that).
 */
export async function checkLaunchToken(token: string, fetchFn: typeof fetch = fetch): Promise<'ok' | 'refused' | 'unknown'> {
  try {
    const res = await fetchFn('/api/session', { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
    if (res.status === 204) return 'ok';
    return res.status === 401 ? 'refused' : 'unknown';
  } catch {
    return 'unknown';
  }
}
