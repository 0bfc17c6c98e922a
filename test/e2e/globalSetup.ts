import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Builds the renderer before the run, so the tests always see the current sources (serve mode
 * serves dist/renderer), and says clearly when Chromium is missing.
 */
export default function globalSetup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    throw new Error(`Chromium not found at ${chromium}: install it with "apt-get install -y chromium" (or set CHROMIUM_PATH).`);
  }
  if (process.env.E2E_SKIP_BUILD === '1' && fs.existsSync(path.resolve('dist/renderer/index.html'))) return;
  execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], {
    stdio: 'inherit',
  });
}
