import type { Db } from './openDatabase';
import type { WorkspaceLayout } from './workspaceLayout';
import type { WorkspaceLock } from './workspaceLock';

/** An open workspace: its folder layout, its database, and the lock that makes us its writer. */
export interface Workspace {
  readonly name: string;
  readonly layout: WorkspaceLayout;
  readonly db: Db;
  readonly isDemo: boolean;
  close(): void;
}

export function closeWorkspace(db: Db, lock: WorkspaceLock): void {
  try {
    // Fold the WAL back so the folder is a single self-contained file at rest.
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
    lock.release();
  }
}
