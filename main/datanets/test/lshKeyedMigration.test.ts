// Migration 20261206T0110 rebuilds datanet_lsh as a WITHOUT ROWID table: a workspace written
// before it keeps every bucket row, and the near-duplicate settling still finds them.
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { migrations } from '../../workspace/migrations/index';
import { openDatabase } from '../../workspace/openDatabase';

const KEYED = '20261206T0110_datanet_lsh_keyed';

describe('migration 20261206T0110_datanet_lsh_keyed', () => {
  it('moves every bucket row of an older workspace into the keyed table', () => {
    const file = path.join(tempDir(), 'studio.db');
    // The workspace as the build before the migration left it (openDatabase's own bookkeeping).
    const old = new Database(file);
    old.exec('CREATE TABLE schema_migrations (id TEXT PRIMARY KEY, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT');
    const before = migrations.slice(0, migrations.findIndex((m) => m.id === KEYED));
    before.forEach((m, i) => {
      old.exec(m.sql);
      old.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.id, crypto.createHash('sha256').update(m.sql).digest('hex'), 'then');
      old.pragma(`user_version = ${i + 1}`);
    });
    const rows = [
      [1, 0, 2 ** 52 - 1, 7],
      [1, 0, 5, 3],
      [1, 15, 5, 3],
      [2, 0, 5, 9],
      [1, 0, 5, 2],
    ];
    const put = old.prepare('INSERT INTO datanet_lsh (datanet_id, band, bucket, record_id) VALUES (?, ?, ?, ?)');
    for (const r of rows) put.run(...r);
    old.close();

    const db = openDatabase(file);
    try {
      expect(db.prepare('SELECT datanet_id, band, bucket, record_id FROM datanet_lsh').raw().all()).toEqual(
        [...rows].sort((x, y) => x[0]! - y[0]! || x[1]! - y[1]! || x[2]! - y[2]! || x[3]! - y[3]!),
      );
      expect(() => db.prepare('SELECT rowid FROM datanet_lsh').all()).toThrow(/no such column/);
      expect(db.prepare("SELECT name FROM sqlite_schema WHERE tbl_name = 'datanet_lsh' AND type = 'index' AND sql IS NOT NULL").all()).toEqual([]);
    } finally {
      db.close();
    }
  });
});
