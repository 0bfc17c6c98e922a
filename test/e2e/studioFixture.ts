import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

export interface StudioServer {
  /** The URL `studio serve` printed, token included. */
  url: string;
  origin: string;
  token: string;
  home: string;
}

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;

/** Runs `studio serve --port 0` on a fresh STUDIO_HOME and waits for the URL it prints. */
export async function startStudio(): Promise<{ server: StudioServer; child: ChildProcess }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/studio.ts', 'serve', '--port', '0'], {
    env: { ...process.env, STUDIO_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`studio serve printed no URL within 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = URL_LINE.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`studio serve exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return { server: { url, origin: parsed.origin, token: parsed.searchParams.get('token')!, home }, child };
}

export async function stopStudio(child: ChildProcess, home: string): Promise<void> {
  if (child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  fs.rmSync(home, { recursive: true, force: true, maxRetries: 3 });
}

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

/** Saves a full-window screenshot as test-results/screenshots/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Opens the workbench with the launch token and waits until it has talked to the core. */
export async function openStudio(page: Page, server: StudioServer): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('status-workspace')).toContainText('demo');
}

/** One server per worker: starting the core takes seconds, and tests leave little behind. */
export const test = base.extend<{ errors: string[] }, { studio: StudioServer }>({
  studio: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { server, child } = await startStudio();
      await use(server);
      await stopStudio(child, server.home);
    },
    { scope: 'worker' },
  ],
  /** Console errors and failed requests of the page; tests assert it stays empty. */
  errors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await use(errors);
  },
});

export { expect };
