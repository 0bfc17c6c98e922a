import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../support/tempDir';

/**
 * Issue 10, finding 10: a page damaged in the middle of studio.db passed `workspace list` as ok
 * and failed later with "database disk image is malformed", naming no file. Opening now runs
 * SQLite's quick_check and reports the damage as the header case is reported, leaving the file
 * byte-identical.
 */
function studio(home: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [path.resolve('bin/studio.mjs'), ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('studio.db damaged in the middle', () => {
  it('is reported corrupt, naming the file, by listings and writers alike, and left byte-identical', () => {
    const home = tempDir();
    expect(studio(home, 'workspace', 'list', '--json').code).toBe(0);
    const file = path.join(home, 'workspaces', 'demo', 'studio.db');
    // Enough rows for the jobs table to span many pages, then everything in the main file.
    const db = new Database(file);
    const insert = db.prepare(`INSERT INTO jobs (id, kind, title, status, params_json, created_at) VALUES (?, 'artifacts.verify', ?, 'succeeded', '{}', ?)`);
    db.transaction(() => {
      for (let i = 0; i < 3000; i++) insert.run(`job-${i}`, `Verify ${'x'.repeat(100)} ${i}`, new Date(1_700_000_000_000 + i).toISOString());
    })();
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    expect(studio(home, 'workspace', 'list', '--json').json()[0].status).toBe('ok');

    // Scribble over a page in the middle; the header (page 1) stays intact.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, Math.floor(pages / 2) * pageSize);
    fs.closeSync(fd);
    const damaged = sha(file);

    const list = studio(home, 'workspace', 'list', '--json');
    expect(list.code).toBe(0);
    const [demo] = list.json() as { name: string; status: string; statusDetail: string }[];
    expect(demo).toMatchObject({ name: 'demo', status: 'corrupt' });
    expect(demo!.statusDetail).toContain(file);
    expect(demo!.statusDetail).toMatch(/is damaged \(SQLite's quick_check: .+\)/);

    for (const args of [['jobs', 'list'], ['artifacts', 'verify']]) {
      const r = studio(home, ...args, '--json');
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.json().error.code, args.join(' ')).toBe('WORKSPACE_CORRUPT');
      expect(r.json().error.message, args.join(' ')).toContain(file);
    }
    expect(sha(file)).toBe(damaged);
  });
});
