/** The origin the desktop renderer is served from (see rendererProtocol.ts). */
export const APP_ORIGIN = 'app://studio';

/**
 * Whether a URL the window is about to load is the app's own page. Anything else (a link, a
 * redirect, a form, an injected location change) must not replace the workbench, which holds
 * the IPC bridge. Parsed, not prefix-matched, so `app://studio.evil/` or credentials in the
 * authority cannot pass.
 */
export function isAppUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'app:' && u.host === 'studio' && u.username === '' && u.password === '' && url.startsWith(`${APP_ORIGIN}/`);
}
