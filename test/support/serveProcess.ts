import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { ApiClient } from '../../main/api/apiClient';
import { createSocketTransport } from '../../main/api/socketTransport';

/**
 * A real `studio serve` process, as users start it. Shared by the Playwright fixture
 * (test/e2e/studioFixture.ts) and the vitest security suite (test/security).
 */
export interface StudioServer {
  /** The URL `studio serve` printed, token included. */
  url: string;
  origin: string;
  port: number;
  token: string;
  home: string;
}

const URL_LINE = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/;

/** Runs `studio serve --port 0` (or the port given) on a fresh STUDIO_HOME and waits for the URL it prints. */
export async function startStudio(opts: { port?: number; home?: string; args?: string[] } = {}): Promise<{ server: StudioServer; child: ChildProcess; output: () => string }> {
  // A prepared home (a workspace with adapters, say) or a fresh one; extra serve flags (--model DIR).
  const home = opts.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/cli/studio.ts', 'serve', '--port', String(opts.port ?? 0), ...(opts.args ?? [])], {
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
  return {
    server: { url, origin: parsed.origin, port: Number(parsed.port), token: parsed.searchParams.get('token')!, home },
    child,
    output: () => output,
  };
}

/** Stops the serve process and removes its home (keepHome: leave it, e.g. for the CLI to use next). */
export async function stopStudio(child: ChildProcess, home: string, opts: { keepHome?: boolean } = {}): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  if (!opts.keepHome) fs.rmSync(home, { recursive: true, force: true, maxRetries: 3 });
}


/**
 * `studio serve` as its own process (the built CLI, bin/studio.mjs: `npm run build:node` first),
 * so a probe that blocks or crashes the server shows up as such instead of stalling the test.
 */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** Everything the process wrote, for failure messages. */
  output(): string;
  connect(): Promise<{ client: ApiClient; socket: WebSocket }>;
  stop(): Promise<void>;
}

export async function startServeProcess(home: string, env: NodeJS.ProcessEnv = { ...process.env, STUDIO_HOME: home }): Promise<ServeProcess> {
  const child = spawn(process.execPath, [path.resolve('bin/studio.mjs'), 'serve', '--port', '0', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const first = await new Promise<string>((resolve, reject) => {
    let line = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      line += d.toString();
      if (line.includes('\n')) resolve(line.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`studio serve exited with ${code}:\n${out}`)));
  });
  const url = new URL((JSON.parse(first) as { url: string }).url);
  const port = Number(url.port);
  const token = url.searchParams.get('token')!;
  return {
    child,
    port,
    token,
    output: () => out,
    async connect() {
      const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers: { authorization: `Bearer ${token}` } });
      await new Promise<void>((resolve, reject) => {
        socket.once('open', () => resolve());
        socket.once('error', reject);
      });
      return { client: new ApiClient(createSocketTransport(socket as never)), socket };
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resolves with `p`, or rejects naming `what` if it has not settled after `ms` (a hang, not a timing). */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms / 1000} s (the server is blocked)`)), ms);
    }),
  ]);
}
