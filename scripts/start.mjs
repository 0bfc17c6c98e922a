// `npm start`: the desktop app when Electron's binary is installed and a display is there;
// otherwise serve mode in the browser, saying why. Builds first if the build is missing.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const built = existsSync('dist/node/cli.mjs') && existsSync('dist/renderer/index.html');
if (!built) {
  console.error('Building Attribution Studio (first start)…');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronBinary() {
  try {
    // The electron package exports the path of its binary; it throws when the download failed.
    const bin = require('electron');
    return typeof bin === 'string' && existsSync(bin) ? { bin } : { why: 'the Electron binary is not installed (its download failed or was skipped)' };
  } catch (err) {
    return { why: `the Electron binary is not installed (${String(err.message).split('\n')[0]})` };
  }
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
