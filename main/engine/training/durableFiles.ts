// Writes that survive a crash or power loss: data flushed with fsync before the rename that
// publishes it, and the folder's entry flushed after (a rename is durable only once its folder is).
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

/** Writes `data` to `file` (created or truncated) and fsyncs it. */
export function writeFileSynced(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w');
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < bytes.byteLength) off += writeSync(fd, bytes, off, bytes.byteLength - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** fsyncs a folder, so the entries created or renamed in it are on disk. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
