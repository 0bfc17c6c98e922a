import type { LogEntry } from '../../../../main/api/schemas';

export type LogLevel = LogEntry['level'];
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** The panel keeps this many entries; older ones scroll off (the core keeps its own). */
export const MAX_LOG_ENTRIES = 2000;

/** Appends entries in `seq` order, dropping ones already held (recent + live can overlap). */
export function appendLogs(held: readonly LogEntry[], incoming: readonly LogEntry[], max = MAX_LOG_ENTRIES): LogEntry[] {
  const last = held.length > 0 ? held[held.length - 1]!.seq : -Infinity;
  const seen = new Set(held.map((e) => e.seq));
  const fresh = incoming.filter((e) => !seen.has(e.seq));
  if (fresh.length === 0) return held as LogEntry[];
  const merged = fresh.every((e) => e.seq > last) ? [...held, ...fresh] : [...held, ...fresh].sort((a, b) => a.seq - b.seq);
  return merged.length > max ? merged.slice(merged.length - max) : merged;
}

/** Entries at `min` level or above, containing `text` (message or source), of one job if given. */
export function filterLogs(entries: readonly LogEntry[], min: LogLevel, text = '', jobId: string | null = null): LogEntry[] {
  const floor = LOG_LEVELS.indexOf(min);
  const needle = text.trim().toLowerCase();
  return entries.filter(
    (e) =>
      LOG_LEVELS.indexOf(e.level) >= floor &&
      (jobId === null || e.jobId === jobId) &&
      (!needle || e.message.toLowerCase().includes(needle) || e.source.toLowerCase().includes(needle)),
  );
}
