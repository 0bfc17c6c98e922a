import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { SCHEMA_VERSION } from '../openDatabase';
import { readSettings } from '../settingsStore';
import { WorkspaceManager } from '../workspaceManager';

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe('WorkspaceManager', () => {
  it('creates the demo workspace on first start only', () => {
    const m = new WorkspaceManager(tempDir());
    expect(m.list()).toEqual([]);
    m.ensureDemo();
    const [demo] = m.list();
    expect(demo).toMatchObject({ name: 'demo', isDemo: true, status: 'ok' });
    m.create('other');
    m.ensureDemo();
    expect(m.list().map((w) => w.name)).toEqual(['demo', 'other']);
  });

  it('creates a workspace with a migrated WAL database and default settings', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('alpha');
    const ws = m.open('alpha', 'test');
    try {
      expect(ws.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(ws.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      expect(readSettings(ws.db).displayName).toBe('alpha');
      for (const dir of ['artifacts', 'runs', 'chain', 'logs']) expect(fs.existsSync(path.join(ws.layout.root, dir))).toBe(true);
    } finally {
      ws.close();
    }
  });

  it('rejects bad and duplicate names, leaving no half-made folder', () => {
    const m = new WorkspaceManager(tempDir());
    expect(() => m.create('Bad Name')).toThrow(/lowercase letters/);
    m.create('alpha');
    expect(() => m.create('alpha')).toThrow(/already exists/);
    expect(fs.readdirSync(m.root)).toEqual(['alpha']);
  });

  it('refuses a second writer on the same workspace, in this process and in another', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('alpha');
    const ws = m.open('alpha', 'first');
    try {
      expect(() => m.open('alpha', 'second')).toThrow(/in use by another Studio process/);
      expect(m.summary('alpha').status).toBe('locked');
    } finally {
      ws.close();
    }
    expect(m.summary('alpha').status).toBe('ok');
    m.open('alpha', 'again').close();
  });

  it('takes over a lock left by a process that died', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('alpha');
    // A pid that has certainly exited: a child we ran to completion.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.writeFileSync(path.join(m.root, 'alpha', 'studio.lock'), JSON.stringify({ pid: Number(dead), host: os.hostname(), startedAt: 'x', purpose: 'crashed' }));
    expect(m.summary('alpha').status).toBe('ok');
    m.open('alpha', 'recovering').close();
  });

  it('reports a corrupt database clearly and never overwrites it', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('broken');
    const db = path.join(m.root, 'broken', 'studio.db');
    fs.writeFileSync(db, Buffer.concat([Buffer.from('this is not sqlite at all'), crypto.randomBytes(4096)]));
    const before = sha(db);
    expect(m.summary('broken')).toMatchObject({ status: 'corrupt' });
    expect(() => m.open('broken', 'test')).toThrow(/cannot be read/);
    expect(sha(db)).toBe(before);
    // The failed open released its lock.
    expect(fs.existsSync(path.join(m.root, 'broken', 'studio.lock'))).toBe(false);
  });

  it('refuses a database written by a newer Studio and leaves it untouched', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('future');
    const file = path.join(m.root, 'future', 'studio.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.close();
    const before = sha(file);
    expect(m.summary('future')).toMatchObject({ status: 'too-new' });
    expect(() => m.open('future', 'test')).toThrow(/newer than this Studio understands/);
    expect(sha(file)).toBe(before);
  });

  it('detects an applied migration whose text changed', () => {
    const m = new WorkspaceManager(tempDir());
    m.create('alpha');
    const raw = new Database(path.join(m.root, 'alpha', 'studio.db'));
    raw.prepare('UPDATE schema_migrations SET sha256 = ?').run('0'.repeat(64));
    raw.close();
    expect(() => m.open('alpha', 'test')).toThrow(/migrations are append-only/);
  });
});
