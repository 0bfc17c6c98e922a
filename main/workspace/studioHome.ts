import os from 'node:os';
import path from 'node:path';

/**
 * Where workspaces live: `$STUDIO_HOME` when set (tests, portable installs), otherwise the OS's
 * per-user application-data folder, the same one Electron's `app.getPath('appData')` returns.
 */
export function studioHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.STUDIO_HOME) return path.resolve(env.STUDIO_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Attribution Studio');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Attribution Studio');
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'attribution-studio');
  }
}

export function workspacesDir(home: string): string {
  return path.join(home, 'workspaces');
}

export const DEMO_WORKSPACE = 'demo';
