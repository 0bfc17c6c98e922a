// Keeps the devnet's chain safe from a kill during Anvil's state dump. Anvil writes its --state
// file in place (open with O_TRUNC, then write; seen with strace on Anvil 1.7.1), once a second
// with --state-interval: a kill in between leaves an empty or cut file, Anvil refuses to load it,
// and the chain would start empty. So a copy of the last complete dump is kept beside it
// (written to a temporary file, fsynced, renamed), refreshed while Studio watches the devnet and
// before every start; a start whose state file is damaged falls back to that copy.
import fs from 'node:fs';
import path from 'node:path';

/** The last complete state, beside the file Anvil writes. */
export function goodStatePath(statePath: string): string {
  return `${statePath.replace(/\.json$/, '')}.good.json`;
}

/** The file's bytes when it holds a whole state dump: a JSON object that parses (a cut file never does). */
function readCompleteState(file: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return null;
  }
  const text = bytes.toString('utf8');
  if (!text.trimEnd().endsWith('}')) return null;
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? bytes : null;
  } catch {
    return null;
  }
}

export function isCompleteState(file: string): boolean {
  return readCompleteState(file) !== null;
}

/** Copies `from` to `to` so that `to` is always either the old or the new copy, whole. */
function copyAtomically(from: Buffer, to: string): void {
  const tmp = `${to}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, from);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, to);
}

/**
 * Refreshes the kept copy when the state file now holds a complete dump that differs from it.
 * Reads the file once (Anvil may be rewriting it: a read that catches it mid-write is simply not
 * complete and is skipped). Returns true when the copy was refreshed.
 */
export function keepGoodState(statePath: string): boolean {
  const bytes = readCompleteState(statePath);
  if (!bytes) return false;
  const good = goodStatePath(statePath);
  try {
    if (fs.existsSync(good) && fs.readFileSync(good).equals(bytes)) return false;
    copyAtomically(bytes, good);
    return true;
  } catch {
    // A full disk: the previous copy stays as it was.
    return false;
  }
}

export type StateRepair = { action: 'none' } | { action: 'restored'; setAside: string } | { action: 'unrecoverable'; setAside: string };

/**
 * Before Anvil starts with `--state statePath`: a complete file is kept (and copied); a damaged
 * one (empty, cut, not JSON) is set aside, never deleted, and replaced by the last complete copy
 * when there is one. 'unrecoverable' means no complete copy exists: the chain starts empty.
 */
export function repairStateFile(statePath: string): StateRepair {
  // No file is not a kill's doing (a dump truncates, never removes): someone removed it to start
  // over, and the chain starts empty as asked.
  if (!fs.existsSync(statePath)) return { action: 'none' };
  if (isCompleteState(statePath)) {
    keepGoodState(statePath);
    return { action: 'none' };
  }
  const aside = path.join(path.dirname(statePath), `${path.basename(statePath)}.damaged-${Date.now()}`);
  fs.renameSync(statePath, aside);
  const good = readCompleteState(goodStatePath(statePath));
  if (!good) return { action: 'unrecoverable', setAside: aside };
  copyAtomically(good, statePath);
  return { action: 'restored', setAside: aside };
}
