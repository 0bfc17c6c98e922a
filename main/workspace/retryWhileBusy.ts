import { isSqliteBusy } from './isSqliteBusy';

/** How often a write refused busy is tried again. */
const RETRY_MS = 250;

/**
 * Runs `write` (a write on the core's connection) and, while SQLite refuses it busy because
 * another connection holds the write lock (a datanet import committing on its own, whose commit
 * can last minutes), tries it again every RETRY_MS without blocking the core's thread. For a
 * write that records something already done outside the database and must not be lost (a sent
 * transaction's hash, its receipt): a write a user asks for fails at once instead
 * (StudioCore.request names the import). Any other error is thrown as it is.
 */
export async function retryWhileBusy<T>(write: () => T): Promise<T> {
  for (;;) {
    try {
      return write();
    } catch (err) {
      if (!isSqliteBusy(err)) throw err;
    }
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
}
