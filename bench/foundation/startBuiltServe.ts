import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The built `studio serve` in its own process on a fresh Studio home, as a user starts it. */
export async function startBuiltServe(): Promise<{ url: string; port: number; token: string; child: ChildProcess; spawnedAt: number; readyAt: number; stop(): Promise<void> }> {
  if (!fs.existsSync('dist/node/cli.mjs')) throw new Error('Run `npm run build` first.');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-'));
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, ['bin/studio.mjs', 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const readyAt = performance.now();
  const url = JSON.parse(line).url as string;
  const u = new URL(url);
  return {
    url,
    port: Number(u.port),
    token: u.searchParams.get('token')!,
    child,
    spawnedAt,
    readyAt,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] ?? NaN;
}
