import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import { WorkspaceNameSchema, type WorkspaceInfo, type WorkspaceSummary } from '../api/schemas';
import { defaultSettings } from './defaultSettings';
import { openDatabase, SCHEMA_VERSION, type Db } from './openDatabase';
import { writeSettings } from './settingsStore';
import { DEMO_WORKSPACE, workspacesDir } from './studioHome';
import { closeWorkspace, type Workspace } from './workspace';
import { workspaceLayout } from './workspaceLayout';
import { WorkspaceLock } from './workspaceLock';

/** Create, list and open workspaces under one Studio home. */
export class WorkspaceManager {
  readonly root: string;

  constructor(readonly home: string) {
    this.root = workspacesDir(home);
  }

  list(): WorkspaceSummary[] {
    if (!fs.existsSync(this.root)) return [];
    return fs
      .readdirSync(this.root, { withFileTypes: true })
      .filter((d) => d.isDirectory() && WorkspaceNameSchema.safeParse(d.name).success)
      .map((d) => this.summary(d.name))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  exists(name: string): boolean {
    return fs.existsSync(path.join(this.root, name));
  }

  summary(name: string): WorkspaceSummary {
    const layout = workspaceLayout(path.join(this.root, name));
    const base = { name, path: layout.root, isDemo: name === DEMO_WORKSPACE };
    if (!fs.existsSync(layout.db)) return { ...base, status: 'missing-db', statusDetail: `No studio.db in ${layout.root}`, createdAt: null };
    let db: Db | undefined;
    try {
      db = openDatabase(layout.db, { readonly: true });
      const createdAt = readMeta(db, 'created_at');
      const isDemo = readMeta(db, 'is_demo') === '1';
      const holder = WorkspaceLock.holder(layout.lock);
      return holder
        ? { ...base, isDemo, status: 'locked', statusDetail: `In use by pid ${holder.pid} (${holder.purpose})`, createdAt }
        : { ...base, isDemo, status: 'ok', statusDetail: null, createdAt };
    } catch (err) {
      const e = err instanceof StudioError ? err : new StudioError(ErrorCode.WorkspaceCorrupt, String(err));
      return { ...base, status: e.code === ErrorCode.WorkspaceTooNew ? 'too-new' : 'corrupt', statusDetail: e.message, createdAt: null };
    } finally {
      db?.close();
    }
  }

  /**
   * Builds the workspace in a hidden temporary folder and renames it into place, so a crash
   * mid-creation never leaves a half-made workspace under its real name.
   */
  create(name: string, opts: { isDemo?: boolean; displayName?: string } = {}): WorkspaceSummary {
    const parsed = WorkspaceNameSchema.safeParse(name);
    if (!parsed.success) throw new StudioError(ErrorCode.InvalidRequest, `Workspace name "${name}": ${parsed.error.issues[0]?.message}`);
    const finalDir = path.join(this.root, name);
    if (fs.existsSync(finalDir)) throw new StudioError(ErrorCode.Conflict, `A workspace named "${name}" already exists at ${finalDir}.`);
    fs.mkdirSync(this.root, { recursive: true });
    const tmpDir = fs.mkdtempSync(path.join(this.root, `.${name}.creating-`));
    try {
      const layout = workspaceLayout(tmpDir);
      for (const dir of [layout.artifacts, layout.runs, layout.chain, layout.logs]) fs.mkdirSync(dir, { recursive: true });
      const db = openDatabase(layout.db, { create: true });
      try {
        db.transaction(() => {
          const meta = db.prepare('INSERT INTO workspace_meta (key, value) VALUES (?, ?)');
          meta.run('name', name);
          meta.run('created_at', new Date().toISOString());
          meta.run('is_demo', opts.isDemo ? '1' : '0');
          writeSettings(db, defaultSettings(opts.displayName ?? (opts.isDemo ? 'Demo workspace' : name)));
        })();
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        db.close();
      }
      fs.renameSync(tmpDir, finalDir);
    } catch (err) {
      fs.rmSync(tmpDir, { recursive: true, force: true });
      throw err;
    }
    return this.summary(name);
  }

  /** On a first start (no workspace at all) the demo workspace is made; true when it was. */
  ensureDemo(): boolean {
    if (this.list().length > 0) return false;
    this.create(DEMO_WORKSPACE, { isDemo: true });
    return true;
  }

  /** Opens for writing: takes the lock, migrates, and refuses corrupt or newer databases. */
  open(name: string, purpose: string): Workspace {
    const layout = workspaceLayout(path.join(this.root, name));
    if (!fs.existsSync(layout.root)) {
      throw new StudioError(ErrorCode.NotFound, `No workspace named "${name}" in ${this.root}.`, {
        available: this.list().map((w) => w.name),
      });
    }
    const lock = WorkspaceLock.acquire(layout.lock, purpose);
    let db: Db;
    try {
      db = openDatabase(layout.db);
    } catch (err) {
      lock.release();
      throw err;
    }
    for (const dir of [layout.artifacts, layout.runs, layout.chain, layout.logs]) fs.mkdirSync(dir, { recursive: true });
    const isDemo = readMeta(db, 'is_demo') === '1';
    return { name, layout, db, isDemo, close: () => closeWorkspace(db, lock) };
  }

  /** Opens read-only, without the lock: safe beside a running writer thanks to WAL. */
  openReadonly(name: string): { db: Db; close(): void; root: string } {
    const layout = workspaceLayout(path.join(this.root, name));
    if (!fs.existsSync(layout.root)) throw new StudioError(ErrorCode.NotFound, `No workspace named "${name}" in ${this.root}.`);
    const db = openDatabase(layout.db, { readonly: true });
    return { db, root: layout.root, close: () => db.close() };
  }
}

export function readMeta(db: Db, key: string): string | null {
  const row = db.prepare('SELECT value FROM workspace_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value ?? null;
}

export function workspaceInfo(name: string, root: string, db: Db): WorkspaceInfo {
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    name,
    path: root,
    isDemo: readMeta(db, 'is_demo') === '1',
    createdAt: readMeta(db, 'created_at') ?? '',
    schemaVersion: db.pragma('user_version', { simple: true }) as number,
    counts: { artifacts: count('SELECT count(*) AS n FROM artifacts'), jobs: count('SELECT count(*) AS n FROM jobs') },
    artifactBytes: count('SELECT coalesce(sum(size), 0) AS n FROM artifacts'),
  };
}

export { SCHEMA_VERSION };
