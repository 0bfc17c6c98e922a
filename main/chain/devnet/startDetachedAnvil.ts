// Starts Anvil as a detached process that outlives the CLI (`studio devnet start`): its own
// process group, output to chain/anvil.log, no pipes back to us. The port comes from Anvil's
// "Listening on" line in that log, so port 0 stays race-free.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { resolveAnvilBinary } from './anvilBinary';
import { anvilArgs, prepareStateFile, rpcCall, AnvilStartError, type AnvilOptions } from './anvilProcess';
import { isPidAlive } from './devnetFile';

const LISTENING = /Listening on (?:[\d.]+|\[[0-9a-f:]+\]):(\d+)/;

export interface DetachedAnvil {
  pid: number;
  port: number;
  rpcUrl: string;
}

export async function startDetachedAnvil(options: AnvilOptions & { logPath: string }): Promise<DetachedAnvil> {
  const args = anvilArgs(options);
  const chainId = options.chainId ?? 31337;
  prepareStateFile(options);
  // A fresh log per start: the port is read from it.
  const fd = fs.openSync(options.logPath, 'w');
  const child = spawn(options.binary ?? resolveAnvilBinary(), args, { detached: true, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const pid = child.pid;
  child.unref();
  if (pid === undefined) throw new AnvilStartError('Anvil did not start: spawn failed', { args, logTail: [] });
  const timeoutMs = options.startTimeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  const tail = () => fs.readFileSync(options.logPath, 'utf8').split('\n').slice(-20);
  const fail = (why: string): never => {
    if (isPidAlive(pid)) process.kill(pid, 'SIGKILL');
    throw new AnvilStartError(`Anvil did not start: ${why}`, { args, logTail: tail() });
  };
  let port: number | undefined;
  while (port === undefined) {
    const m = LISTENING.exec(fs.readFileSync(options.logPath, 'utf8'));
    if (m?.[1]) port = Number(m[1]);
    else if (!isPidAlive(pid) || child.exitCode !== null) fail('it exited');
    else if (Date.now() > deadline) fail(`no "Listening on" line within ${timeoutMs} ms`);
    else await new Promise((r) => setTimeout(r, 50));
  }
  const rpcUrl = `http://127.0.0.1:${port}`;
  for (;;) {
    try {
      const reported = Number(BigInt(await rpcCall<string>(rpcUrl, 'eth_chainId')));
      if (reported !== chainId) fail(`it reports chain id ${reported}, expected ${chainId}`);
      return { pid, port, rpcUrl };
    } catch (err) {
      if (err instanceof AnvilStartError) throw err;
      if (!isPidAlive(pid)) fail('it exited while starting');
      if (Date.now() > deadline) fail(`RPC did not answer within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** SIGTERM (Anvil dumps its state on it), then SIGKILL after graceMs; resolves once gone. */
export async function stopPid(pid: number, graceMs = 5_000): Promise<void> {
  if (!isPidAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isPidAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 100));
      // A zombie (our own unreaped child) still answers kill(0); it holds nothing.
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
