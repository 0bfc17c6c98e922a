// `npm start`: the desktop app when Electron's binary is installed and a display is there;
// otherwise serve mode in the browser, saying why. Builds first if the build is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const built = existsSync('dist/node/cli.mjs') && existsSync('dist/renderer/index.html');
if (!built) {
  console.error('Building Attribution Studio (first start)…');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/**
 * The Electron binary if it is installed. Read from the package's path.txt rather than
 * `require('electron')`, which would try to download a missing binary on the spot.
 */
function electronBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { why: 'the electron package is not installed' };
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const bin = rel ? path.join(pkgDir, 'dist', rel) : null;
  if (bin && existsSync(bin)) return { bin };
  return { why: 'the Electron binary is not installed (its download failed or was skipped; `npx install-electron` fetches it where the internet is reachable)' };
}

const hasDisplay = process.platform !== 'linux' || !!(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = electronBinary();
const extra = process.argv.slice(2);

if (electron.bin && hasDisplay) {
  const child = spawn(electron.bin, ['.', ...extra], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const why = electron.bin ? 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' : electron.why;
  console.error(`Starting serve mode instead of the desktop window: ${why}.`);
  const child = spawn(process.execPath, ['bin/studio.mjs', 'serve', ...extra], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
