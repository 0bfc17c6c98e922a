// chain/devnet.json: where a workspace's running devnet is, so another Studio process (a later
// `studio serve`, `studio devnet status`, `studio chain call`) can find and adopt it. Written
// atomically; a file whose pid is gone or whose chain id differs is stale and ignored.
import fs from 'node:fs';
import path from 'node:path';
import { rpcCall } from './anvilProcess';

export interface DevnetRecord {
  pid: number;
  port: number;
  rpcUrl: string;
  chainId: number;
  /** detached: left running by `studio devnet start`; child: owned by the process `ownerPid`. */
  mode: 'detached' | 'child';
  ownerPid: number;
  statePath: string;
  startedAt: string;
}

export function devnetFilePath(chainDir: string): string {
  return path.join(chainDir, 'devnet.json');
}

export function readDevnetFile(chainDir: string): DevnetRecord | undefined {
  try {
    const rec = JSON.parse(fs.readFileSync(devnetFilePath(chainDir), 'utf8')) as DevnetRecord;
    return typeof rec.pid === 'number' && typeof rec.rpcUrl === 'string' ? rec : undefined;
  } catch {
    return undefined;
  }
}

export function writeDevnetFile(chainDir: string, rec: DevnetRecord): void {
  const file = devnetFilePath(chainDir);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(rec, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/** Removes the file only if it still describes `pid` (another process may have replaced it). */
export function removeDevnetFile(chainDir: string, pid?: number): void {
  const rec = readDevnetFile(chainDir);
  if (pid === undefined || rec?.pid === pid) fs.rmSync(devnetFilePath(chainDir), { force: true });
}

export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The recorded devnet if its process is alive and its RPC answers with `chainId`. */
export async function liveDevnet(chainDir: string, chainId: number): Promise<DevnetRecord | undefined> {
  const rec = readDevnetFile(chainDir);
  if (!rec || !isPidAlive(rec.pid)) return undefined;
  try {
    const reported = Number(BigInt(await rpcCall<string>(rec.rpcUrl, 'eth_chainId', [], 1_500)));
    return reported === chainId ? rec : undefined;
  } catch {
    return undefined;
  }
}
