/**
 * Whether SQLite refused `err` busy (SQLITE_BUSY or one of its extended codes): another connection
 * holds the write lock, as a datanet import committing on its own connection does.
 */
export function isSqliteBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
