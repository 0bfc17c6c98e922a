// Runs Anvil as a child process for the local devnet: OP Stack mode (`--network optimism`), a
// loopback port chosen by the OS, optional block time and state persistence. Resolves once the
// JSON-RPC endpoint answers with the expected chain id.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolveAnvilBinary } from './anvilBinary.js';
import { repairStateFile, type StateRepair } from './anvilStateFile.js';
import { DEFAULT_DEVNET_CHAIN_ID } from './devnetChain.js';

export interface AnvilOptions {
  /** Chain id of the devnet (a workspace setting). Default 31337. */
  chainId?: number;
  /** 'auto' mines a block per transaction; a number mines every N seconds (the protocol's
   * network makes 2 s blocks). Default 'auto'. */
  blockTime?: 'auto' | number;
  /** File Anvil loads state from at start (when it exists) and dumps state to on exit. */
  statePath?: string;
  /** With statePath: also dump every N seconds, so a killed Anvil loses at most N seconds. */
  stateIntervalSeconds?: number;
  /** Port to listen on; 0 (the default) lets the OS pick a free one, race-free. */
  port?: number;
  /** Number of dev accounts and their balance in OPEN (Anvil's ETH). */
  accounts?: number;
  balance?: number;
  /** Extra arguments for anvil, appended last. */
  extraArgs?: string[];
  /** Milliseconds to wait for the RPC to answer. Default 30 s. */
  startTimeoutMs?: number;
  /** Anvil's stdout/stderr, line by line (for a log view). */
  onLog?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** With statePath: told when a damaged state file was replaced by the last complete copy. */
  onStateRepair?: (repair: StateRepair) => void;
  /** Override the binary (else resolveAnvilBinary()). */
  binary?: string;
  /** Have the kernel SIGTERM Anvil when this process dies, even by SIGKILL (Linux, through
   * util-linux's setpriv --pdeathsig; elsewhere only a normal exit stops it). */
  stopWithParent?: boolean;
}

export interface AnvilExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the exit followed our stop(). */
  requested: boolean;
}

export interface AnvilProcess {
  rpcUrl: string;
  port: number;
  chainId: number;
  pid: number;
  args: readonly string[];
  /** Settles when Anvil exits, for whatever reason (watch it to restart a crashed devnet). */
  exited: Promise<AnvilExit>;
  /** SIGTERM (Anvil dumps --state on it), then SIGKILL after graceMs. */
  stop(graceMs?: number): Promise<AnvilExit>;
}

export class AnvilStartError extends Error {
  override readonly name = 'AnvilStartError';
  readonly code = 'ANVIL_START_FAILED';
  constructor(
    message: string,
    readonly details: { args: readonly string[]; exit?: AnvilExit; logTail: string[] },
  ) {
    super(message);
  }
}

export function anvilArgs(options: AnvilOptions): string[] {
  const chainId = options.chainId ?? DEFAULT_DEVNET_CHAIN_ID;
  const args = ['--host', '127.0.0.1', '--port', String(options.port ?? 0), '--network', 'optimism'];
  args.push('--chain-id', String(chainId));
  if (options.blockTime !== undefined && options.blockTime !== 'auto') {
    if (!Number.isInteger(options.blockTime) || options.blockTime <= 0) {
      throw new RangeError(`blockTime must be 'auto' or a positive whole number of seconds, got ${options.blockTime}`);
    }
    args.push('--block-time', String(options.blockTime));
  }
  if (options.statePath) {
    args.push('--state', options.statePath);
    if (options.stateIntervalSeconds !== undefined) args.push('--state-interval', String(options.stateIntervalSeconds));
  }
  if (options.accounts !== undefined) args.push('--accounts', String(options.accounts));
  if (options.balance !== undefined) args.push('--balance', String(options.balance));
  args.push(...(options.extraArgs ?? []));
  return args;
}

/** One JSON-RPC call with a timeout; used before any viem client exists. */
export async function rpcCall<T>(rpcUrl: string, method: string, params: unknown[] = [], timeoutMs = 2_000): Promise<T> {
  const res = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await res.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

const LISTENING = /Listening on (?:[\d.]+|\[[0-9a-f:]+\]):(\d+)/;

/** Before Anvil loads --state: a file cut by a kill mid-dump gives way to the last complete copy. */
export function prepareStateFile(options: AnvilOptions): void {
  if (!options.statePath) return;
  const repair = repairStateFile(options.statePath);
  if (repair.action !== 'none') options.onStateRepair?.(repair);
}

export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilProcess> {
  const chainId = options.chainId ?? DEFAULT_DEVNET_CHAIN_ID;
  const args = anvilArgs(options);
  prepareStateFile(options);
  const binary = options.binary ?? resolveAnvilBinary();
  // setpriv execs Anvil in place, so the pid stays Anvil's.
  const setpriv = options.stopWithParent && process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p)) : undefined;
  const child: ChildProcess = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'SIGTERM', binary, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const logTail: string[] = [];
  let stopRequested = false;

  const exited = new Promise<AnvilExit>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, requested: stopRequested }));
    // A spawn failure (missing or non-executable binary) emits 'error' and maybe no 'exit'.
    child.once('error', (err) => {
      logTail.push(String(err));
      resolve({ code: null, signal: null, requested: stopRequested });
    });
  });

  let resolvePort: (port: number) => void = () => {};
  const portSeen = new Promise<number>((resolve) => (resolvePort = resolve));
  const onData = (stream: 'stdout' | 'stderr') => {
    let partial = '';
    return (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        logTail.push(line);
        if (logTail.length > 50) logTail.shift();
        options.onLog?.(line, stream);
        const m = LISTENING.exec(line);
        if (m?.[1]) resolvePort(Number(m[1]));
      }
    };
  };
  // An Anvil left running after the app is gone would hold the port and the state file; kill it
  // when this process exits, whatever the reason (listeners run synchronously on 'exit').
  const killOnParentExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', killOnParentExit);
  void exited.then(() => process.off('exit', killOnParentExit));

  child.stdout?.on('data', onData('stdout'));
  child.stderr?.on('data', onData('stderr'));

  const stop = async (graceMs = 5_000): Promise<AnvilExit> => {
    stopRequested = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    }
    return exited;
  };

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const fail = async (why: string): Promise<never> => {
    const exit = child.exitCode === null && child.signalCode === null ? await stop(1_000) : await exited;
    throw new AnvilStartError(`Anvil did not start: ${why}`, { args, exit, logTail: [...logTail] });
  };

  const first = await Promise.race([
    portSeen.then((port) => ({ port })),
    exited.then((exit) => ({ exit })),
    new Promise<{ timeout: true }>((r) => setTimeout(() => r({ timeout: true }), timeoutMs).unref()),
  ]);
  if ('exit' in first) return fail(`it exited (code ${first.exit.code}, signal ${first.exit.signal})`);
  if ('timeout' in first) return fail(`no "Listening on" line within ${timeoutMs} ms`);
  const port = first.port;
  const rpcUrl = `http://127.0.0.1:${port}`;

  // Listening is not yet answering (state loading happens around it): poll until it does.
  for (;;) {
    try {
      const reported = Number(BigInt(await rpcCall<string>(rpcUrl, 'eth_chainId')));
      if (reported !== chainId) return fail(`it reports chain id ${reported}, expected ${chainId}`);
      break;
    } catch (err) {
      if (child.exitCode !== null || child.signalCode !== null) return fail('it exited while starting');
      if (Date.now() > deadline) return fail(`RPC did not answer within ${timeoutMs} ms (${String(err)})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  return { rpcUrl, port, chainId, pid: child.pid ?? -1, args, exited, stop };
}
