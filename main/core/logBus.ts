import fs from 'node:fs';
import path from 'node:path';
import { safeMessage } from '../api/redactSecrets';
import type { LogEntry } from '../api/schemas';

const KEEP = 2000;

/**
 * The app's log: a ring buffer for the UI's Logs panel plus an append-only file in the
 * workspace's logs/ folder for later reading. Never throws: logging must not break work.
 */
export class LogBus {
  private readonly entries: LogEntry[] = [];
  private seq = 0;
  private file: string | null = null;

  constructor(private readonly emit: (entry: LogEntry) => void) {}

  /** Subsequent entries also go to `dir/studio.log`. */
  attachFile(dir: string | null): void {
    this.file = dir ? path.join(dir, 'studio.log') : null;
  }

  write(level: LogEntry['level'], source: string, text: string, jobId: string | null = null): LogEntry {
    // Logs are kept and shown: no RPC credentials, no 20 kB arguments in them.
    const message = safeMessage(text, 4000);
    const entry: LogEntry = { seq: ++this.seq, time: new Date().toISOString(), level, source, message, jobId };
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    if (this.file) {
      try {
        fs.appendFileSync(this.file, `${entry.time} ${level.toUpperCase().padEnd(5)} [${source}] ${message}\n`);
      } catch {
        // A full disk must not take the app down; the in-memory log still has it.
      }
    }
    this.emit(entry);
    return entry;
  }

  recent(limit = 500): LogEntry[] {
    return this.entries.slice(-limit);
  }
}
