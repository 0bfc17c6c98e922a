import crypto from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { ErrorCode, StudioError } from '../api/apiError';
import { migrations } from './migrations/index';

export type Db = Database.Database;

/** The schema version this build writes: the number of migrations it knows. */
export const SCHEMA_VERSION = migrations.length;

export interface OpenOptions {
  readonly?: boolean;
  /** Create the file when missing (only for a new workspace). */
  create?: boolean;
}

/**
 * Opens a workspace database in WAL mode and brings it to SCHEMA_VERSION. Refuses, without
 * writing anything, a file that is not a SQLite database, one made by a newer Studio, or one
 * whose applied migrations differ from this build's.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  if (!opts.create && !fs.existsSync(file)) {
    throw new StudioError(ErrorCode.WorkspaceCorrupt, `Workspace database is missing: ${file}`, { file });
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: !!opts.readonly, fileMustExist: !opts.create });
    // Reading the schema forces SQLite to check the header: a corrupt file fails here.
    db.pragma('schema_version', { simple: true });
  } catch (err) {
    throw new StudioError(ErrorCode.WorkspaceCorrupt, `Workspace database ${file} cannot be read: ${(err as Error).message}`, { file });
  }
  const damage = quickCheck(db, file);
  if (damage) {
    db.close();
    throw new StudioError(
      ErrorCode.WorkspaceCorrupt,
      `Workspace database ${file} is damaged (SQLite's quick_check: ${damage}). The file was left untouched; restore it from a backup or copy out what still reads with the sqlite3 shell's .recover.`,
      { file, quickCheck: damage },
    );
  }
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new StudioError(
        ErrorCode.WorkspaceTooNew,
        `Workspace database ${file} has schema version ${version}, newer than this Studio understands (${SCHEMA_VERSION}). Update Studio to open it; the file was left untouched.`,
        { file, version, supported: SCHEMA_VERSION },
      );
    }
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      db.pragma('busy_timeout = 5000');
      migrate(db, file);
    } else if (version < SCHEMA_VERSION) {
      // Read-only callers (CLI listings) can still read an older schema's common tables.
    }
    return db;
  } catch (err) {
    db.close();
    if (err instanceof StudioError) throw err;
    throw new StudioError(ErrorCode.WorkspaceCorrupt, `Workspace database ${file} is damaged: ${(err as Error).message}`, { file });
  }
}

/**
 * Up to this size the whole file is checked on every open (SQLite reads about 0.7 GB/s here, so
 * at most about 0.2 s); a larger database is opened unchecked rather than slowly, and damage in it
 * surfaces only when a query reaches the damaged page.
 */
export const QUICK_CHECK_MAX_BYTES = 128 * 1024 * 1024;

/**
 * A header check (schema_version) misses damage inside the file: a corrupt page in the middle
 * passed as ok and failed much later as "database disk image is malformed". quick_check reads
 * every page and checks the b-trees (not index contents), without writing. Null when sound.
 */
function quickCheck(db: Db, file: string): string | null {
  let size = 0;
  try {
    size = fs.statSync(file).size;
  } catch {
    return null;
  }
  if (size > QUICK_CHECK_MAX_BYTES) return null;
  try {
    const rows = db.pragma('quick_check(3)') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok');
    return problems.length ? problems.join('; ').replace(/\s*\n\s*/g, ' ') : null;
  } catch (err) {
    return (err as Error).message;
  }
}

function migrate(db: Db, file: string): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = new Map(
    (db.prepare('SELECT id, sha256 FROM schema_migrations').all() as { id: string; sha256: string }[]).map((r) => [r.id, r.sha256]),
  );
  for (const m of migrations) {
    const sha = crypto.createHash('sha256').update(m.sql).digest('hex');
    const seen = applied.get(m.id);
    if (seen !== undefined) {
      if (seen !== sha) {
        throw new StudioError(
          ErrorCode.WorkspaceMigrationChanged,
          `Migration ${m.id} applied to ${file} differs from this build's copy; migrations are append-only.`,
          { file, migration: m.id },
        );
      }
      continue;
    }
    db.transaction(() => {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (id, sha256, applied_at) VALUES (?, ?, ?)').run(m.id, sha, new Date().toISOString());
      db.pragma(`user_version = ${migrations.indexOf(m) + 1}`);
    })();
  }
}
