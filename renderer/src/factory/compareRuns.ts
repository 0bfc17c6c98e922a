import type { RunDetail } from './factoryTypes';

/** A nested pipeline as dotted keys ('lora.rank' -> 8); lists stay one value ('lora.targets' -> 'q, v'). */
export function flatten(value: unknown, prefix = '', out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      // Where the graph draws nodes is not a setting of the run.
      if (prefix === '' && k === 'layout') continue;
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (prefix) {
    out[prefix] = Array.isArray(value) ? value.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))).join(', ') : String(value);
  }
  return out;
}

/** Every setting with each run's value, the differing ones first; `same` marks the rest. */
export function settingsTable(runs: readonly Pick<RunDetail, 'pipeline'>[]): { key: string; values: (string | undefined)[]; same: boolean }[] {
  const flat = runs.map((r) => flatten(r.pipeline));
  const keys = [...new Set(flat.flatMap((f) => Object.keys(f)))];
  const rows = keys.map((key) => {
    const values = flat.map((f) => f[key]);
    return { key, values, same: values.every((v) => v === values[0]) };
  });
  return [...rows.filter((r) => !r.same), ...rows.filter((r) => r.same)];
}

/** The run with the lowest eval loss (final loss when none has eval), among those that finished. */
export function bestRun<T extends Pick<RunDetail, 'id' | 'status' | 'evalLoss' | 'finalLoss'>>(runs: readonly T[]): T | null {
  const done = runs.filter((r) => r.status === 'succeeded');
  const score = (r: T) => r.evalLoss ?? r.finalLoss ?? Number.POSITIVE_INFINITY;
  return done.reduce<T | null>((best, r) => (best === null || score(r) < score(best) ? r : best), null);
}
