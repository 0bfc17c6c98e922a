import type { RunSummary } from './factoryTypes';

/** The run with the lowest eval loss (final loss when it has none), among those that completed. */
export function bestRun<T extends Pick<RunSummary, 'id' | 'status' | 'evalLoss' | 'finalLoss'>>(runs: readonly T[]): T | null {
  const done = runs.filter((r) => r.status === 'completed');
  const score = (r: T) => r.evalLoss ?? r.finalLoss ?? Number.POSITIVE_INFINITY;
  return done.reduce<T | null>((best, r) => (best === null || score(r) < score(best) ? r : best), null);
}

/** A setting's value as the differences table shows it ('q, v' for a list, '—' when absent). */
export function settingText(v: unknown): string {
  if (v === undefined || v === null) return '—';
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ');
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
