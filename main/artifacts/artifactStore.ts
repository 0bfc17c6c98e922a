import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { ErrorCode, StudioError } from '../api/apiError';
import { InputFileError, openRegularFile } from '../files/readInputFile';

/**
 * Content-addressed files: `artifacts/sha256/ab/abcdef…`. Every write goes to `artifacts/tmp`,
 * is fsynced, then renamed into place, so a reader never sees a partial artifact and a crash
 * leaves at most a stray temp file (swept on open). Plain functions: the job worker uses them
 * too; only the core's main thread writes the `artifacts` table.
 */
export class ArtifactStore {
  private readonly tmpDir: string;
  private readonly objectsDir: string;

  constructor(readonly root: string) {
    this.tmpDir = path.join(root, 'tmp');
    this.objectsDir = path.join(root, 'sha256');
    fs.mkdirSync(this.tmpDir, { recursive: true });
    fs.mkdirSync(this.objectsDir, { recursive: true });
  }

  pathOf(sha256: string): string {
    return path.join(this.objectsDir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /** Removes temp files left by a crash. Only call while holding the workspace lock. */
  sweepTemp(): number {
    const stray = fs.readdirSync(this.tmpDir);
    for (const f of stray) fs.rmSync(path.join(this.tmpDir, f), { force: true, recursive: true });
    return stray.length;
  }

  async putBytes(data: Uint8Array): Promise<{ sha256: string; size: number }> {
    return this.putBytesSync(data);
  }

  /** The same, for commit steps that run inside a synchronous SQLite transaction. */
  putBytesSync(data: Uint8Array): { sha256: string; size: number } {
    const sha256 = crypto.createHash('sha256').update(data).digest('hex');
    if (this.has(sha256)) return { sha256, size: data.byteLength };
    const tmp = this.tempPath();
    const fd = fs.openSync(tmp, 'wx');
    try {
      fs.writeSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.commit(tmp, sha256);
    return { sha256, size: data.byteLength };
  }

  /**
   * For writers that need a path (a Parquet writer, a large JSONL): `fill` writes a temp file,
   * which is then hashed, fsynced and renamed into place like any other object.
   */
  putTempSync(fill: (tmpPath: string) => void): { sha256: string; size: number } {
    const tmp = this.tempPath();
    try {
      fill(tmp);
      const hash = crypto.createHash('sha256');
      const buf = Buffer.alloc(1 << 20);
      const fd = fs.openSync(tmp, 'r+');
      let size = 0;
      try {
        for (let n = fs.readSync(fd, buf); n > 0; n = fs.readSync(fd, buf)) {
          hash.update(buf.subarray(0, n));
          size += n;
        }
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
      const sha256 = hash.digest('hex');
      if (this.has(sha256)) fs.rmSync(tmp, { force: true });
      else this.commit(tmp, sha256);
      return { sha256, size };
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Streams a regular file in, hashing while copying; `onBytes` reports progress. Exactly the
   * size the file had when opened is copied: a FIFO, a device or a socket is refused (it could
   * block or never end), and a file that grows while read (a log) is cut at that size.
   */
  async putFile(src: string, opts: { onBytes?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<{ sha256: string; size: number }> {
    let opened: { fd: number; size: number };
    try {
      opened = openRegularFile(src, Number.MAX_SAFE_INTEGER);
    } catch (err) {
      if (!(err instanceof InputFileError)) throw err;
      const missing = err.shortMessage === 'does not exist';
      throw new StudioError(missing ? ErrorCode.NotFound : ErrorCode.InvalidRequest, `Cannot import ${err.message}.`, { file: src });
    }
    const stat = { size: opened.size };
    const hash = crypto.createHash('sha256');
    const tmp = this.tempPath();
    let done = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        done += chunk.length;
        opts.onBytes?.(done, stat.size);
        cb(null, chunk);
      },
    });
    try {
      // start/end bound the copy to the size at open; an empty file streams nothing.
      const source = stat.size > 0 ? fs.createReadStream(src, { fd: opened.fd, start: 0, end: stat.size - 1 }) : (fs.closeSync(opened.fd), Readable.from([]));
      await pipeline(source, tap, fs.createWriteStream(tmp, { flags: 'wx', flush: true }), { signal: opts.signal });
    } catch (err) {
      fs.rmSync(tmp, { force: true });
      if ((err as Error).name === 'AbortError') throw new StudioError(ErrorCode.Cancelled, `Import of ${src} was cancelled.`);
      throw err;
    }
    const sha256 = hash.digest('hex');
    if (this.has(sha256)) fs.rmSync(tmp, { force: true });
    else this.commit(tmp, sha256);
    return { sha256, size: done };
  }

  /** Rehashes one stored object; false if missing or its bytes no longer match its name. */
  async verify(sha256: string): Promise<'ok' | 'missing' | 'corrupt'> {
    const file = this.pathOf(sha256);
    if (!fs.existsSync(file)) return 'missing';
    const hash = crypto.createHash('sha256');
    await pipeline(fs.createReadStream(file), hash);
    return hash.digest('hex') === sha256 ? 'ok' : 'corrupt';
  }

  private tempPath(): string {
    return path.join(this.tmpDir, `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
  }

  private commit(tmp: string, sha256: string): void {
    const dest = this.pathOf(sha256);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(tmp, dest);
    // Objects are immutable once named by their hash.
    fs.chmodSync(dest, 0o444);
  }
}
