// Finds the Anvil executable shipped by the npm package @foundry-rs/anvil. That package's own
// bin script only forwards to a per-platform package (@foundry-rs/anvil-<os>-<arch>/bin/anvil),
// which npm installs as an optional dependency; we resolve that file directly so the core can
// spawn Anvil without an extra Node process in between (and so signals reach Anvil itself).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

/** npm's platform package suffix for this process: the same table @foundry-rs/anvil uses. */
function platformSuffix(platform: NodeJS.Platform, arch: string): string | undefined {
  const cpu = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!cpu) return undefined;
  if (platform === 'linux' || platform === 'darwin') return `${platform}-${cpu}`;
  if (platform === 'win32' && cpu === 'amd64') return 'win32-amd64';
  return undefined;
}

/**
 * In a packaged Electron app, modules resolve inside app.asar, but an executable cannot run from
 * an archive: packaging unpacks it beside the archive (app.asar.unpacked), so point there.
 */
export function unpacked(file: string): string {
  const marker = `${path.sep}app.asar${path.sep}`;
  return file.includes(marker) ? file.replace(marker, `${path.sep}app.asar.unpacked${path.sep}`) : file;
}

export class AnvilNotFoundError extends Error {
  override readonly name = 'AnvilNotFoundError';
  constructor(readonly tried: string[]) {
    super(`Anvil binary not found; looked in: ${tried.join(', ')}. Run npm ci, or set ANVIL_BINARY.`);
  }
}

/**
 * The absolute path of the Anvil binary. Order: $ANVIL_BINARY (packaged apps and unusual
 * installs), the platform package, then the wrapper package's legacy dist/ folder.
 */
export function resolveAnvilBinary(env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  const fromEnv = env.ANVIL_BINARY;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    tried.push(fromEnv);
  }
  const exe = process.platform === 'win32' ? 'anvil.exe' : 'anvil';
  const suffix = platformSuffix(process.platform, process.arch);
  if (suffix) {
    const pkg = `@foundry-rs/anvil-${suffix}`;
    try {
      // package.json is always resolvable; the binary path is derived from its folder so a
      // package "exports" map can never hide it.
      const candidate = unpacked(path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'bin', exe));
      if (existsSync(candidate)) return candidate;
      tried.push(candidate);
    } catch {
      tried.push(`${pkg} (not installed)`);
    }
  }
  try {
    const candidate = path.join(path.dirname(require.resolve('@foundry-rs/anvil/package.json')), '..', 'dist', exe);
    if (existsSync(candidate)) return candidate;
    tried.push(candidate);
  } catch {
    tried.push('@foundry-rs/anvil (not installed)');
  }
  throw new AnvilNotFoundError(tried);
}
