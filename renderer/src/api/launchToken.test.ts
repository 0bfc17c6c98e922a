import { describe, expect, it } from 'vitest';
import { checkLaunchToken, forgetLaunchToken, socketProtocols, takeLaunchToken, type TokenWindow } from './launchToken';

function fakeWindow(href: string): TokenWindow & { stored: Map<string, string> } {
  const stored = new Map<string, string>();
  const win = {
    stored,
    location: { href },
    history: {
      state: null,
      replaceState: (_s: unknown, _t: string, url?: string | URL | null) => {
        win.location.href = String(url);
      },
    },
    sessionStorage: {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    },
  };
  return win;
}

describe('the launch token in the page', () => {
  it('moves from the address to session storage, leaving the rest of the address alone', () => {
    const win = fakeWindow('http://127.0.0.1:4870/some/view?token=abc-DEF_1&x=1#frag');
    expect(takeLaunchToken(win)).toBe('abc-DEF_1');
    expect(win.location.href).toBe('http://127.0.0.1:4870/some/view?x=1#frag');
    // A reload finds it in storage.
    expect(takeLaunchToken(win)).toBe('abc-DEF_1');
    forgetLaunchToken(win.sessionStorage);
    expect(takeLaunchToken(win)).toBeNull();
  });

  it('offers the token as a subprotocol next to the plain one', () => {
    expect(socketProtocols('T0k')).toEqual(['studio', 'studio.token.T0k']);
  });

  it('reads the session check: 204 ok, 401 refused, anything else unknown', async () => {
    const answering = (status: number) => (async () => new Response(null, { status })) as unknown as typeof fetch;
    expect(await checkLaunchToken('t', answering(204))).toBe('ok');
    expect(await checkLaunchToken('t', answering(401))).toBe('refused');
    expect(await checkLaunchToken('t', answering(500))).toBe('unknown');
    expect(await checkLaunchToken('t', (async () => Promise.reject(new TypeError('down'))) as unknown as typeof fetch)).toBe('unknown');
  });
});
