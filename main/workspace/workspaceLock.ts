import fs from 'node:fs';
import os from 'node:os';
import { ErrorCode, StudioError } from '../api/apiError';

interface LockRecord {
  pid: number;
  host: string;
  startedAt: string;
  purpose: string;
}

/**
 * One writer per workspace. The lock is a file created with O_EXCL holding the owner's pid and
 * host; a lock whose owner process is gone (same host, pid not alive) is stale and taken over,
 * so a crash never leaves a workspace unusable.
 */
export class WorkspaceLock {
  private constructor(readonly file: string) {}

  static acquire(file: string, purpose: string): WorkspaceLock {
    const record: LockRecord = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString(), purpose };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(record), { flag: 'wx' });
        return new WorkspaceLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = readLock(file);
        if (holder && isAlive(holder)) {
          throw new StudioError(
            ErrorCode.WorkspaceLocked,
            `Workspace is in use by another Studio process (pid ${holder.pid} on ${holder.host}, ${holder.purpose}, since ${holder.startedAt}). Close it first.`,
            { lockFile: file, holder },
          );
        }
        // Stale (owner gone) or unreadable (crash mid-write): remove and retry once.
        fs.rmSync(file, { force: true });
      }
    }
    throw new StudioError(ErrorCode.WorkspaceLocked, `Could not take the workspace lock ${file}.`);
  }

  /** Who holds the lock now, if anyone alive does. */
  static holder(file: string): LockRecord | null {
    const rec = readLock(file);
    return rec && isAlive(rec) ? rec : null;
  }

  release(): void {
    const rec = readLock(this.file);
    if (rec && rec.pid === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function readLock(file: string): LockRecord | null {
  try {
    const rec = JSON.parse(fs.readFileSync(file, 'utf8')) as LockRecord;
    return typeof rec.pid === 'number' ? rec : null;
  } catch {
    return null;
  }
}

function isAlive(rec: LockRecord): boolean {
  // A lock from another host (shared folder) cannot be checked: treat it as live.
  if (rec.host !== os.hostname()) return true;
  if (rec.pid === process.pid) return true;
  try {
    process.kill(rec.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
