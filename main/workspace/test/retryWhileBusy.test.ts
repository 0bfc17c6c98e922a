// A write that must not be lost (a sent transaction's hash) waits for another connection's write
// lock without blocking the thread: two real connections to one SQLite file in WAL mode.
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { retryWhileBusy } from '../retryWhileBusy';

describe('retryWhileBusy', () => {
  it('writes once the other connection lets the lock go, and the thread keeps running meanwhile', async () => {
    const file = path.join(tempDir(), 'busy.db');
    const core = new Database(file);
    core.pragma('journal_mode = WAL');
    core.pragma('busy_timeout = 0');
    core.exec('CREATE TABLE t (x INTEGER)');
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    other.exec('INSERT INTO t VALUES (1)');
    expect(() => core.exec('INSERT INTO t VALUES (2)')).toThrow(/locked|busy/i);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    let written = false;
    const write = retryWhileBusy(() => {
      core.exec('INSERT INTO t VALUES (2)');
      written = true;
    });
    await new Promise((r) => setTimeout(r, 600));
    expect(written).toBe(false);
    expect(ticks).toBeGreaterThan(5);
    other.exec('COMMIT');
    await write;
    clearInterval(ticker);
    expect(core.prepare('SELECT x FROM t ORDER BY x').pluck().all()).toEqual([1, 2]);
    other.close();
    core.close();
  });

  it('throws any other error at once', async () => {
    const db = new Database(':memory:');
    await expect(retryWhileBusy(() => db.exec('INSERT INTO missing VALUES (1)'))).rejects.toThrow(/no such table/);
    db.close();
  });
});
