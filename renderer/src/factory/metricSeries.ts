// A run's metrics as columns (one array per metric, aligned on step), the shape uPlot draws
// without copying. Points arrive from the `factory.metrics` event many times a second; they are
// appended here in place and listeners are told once per animation frame (see LiveChart), so a
// burst of points costs one redraw.

export const METRICS = ['loss', 'evalLoss', 'lr', 'gradNorm', 'tokensPerSecond', 'memoryBytes'] as const;
export type MetricName = (typeof METRICS)[number];

/** One point: the step, and whichever metrics that step reported (eval loss only at evaluations). */
export type MetricPoint = { step: number } & Partial<Record<MetricName, number | null>>;

export interface MetricColumns {
  step: number[];
  values: Record<MetricName, (number | null)[]>;
}

export function emptyColumns(): MetricColumns {
  return { step: [], values: { loss: [], evalLoss: [], lr: [], gradNorm: [], tokensPerSecond: [], memoryBytes: [] } };
}

/**
 * Appends points in step order. A point for a step already present (an evaluation reported after
 * the step's training metrics, or a resumed run replaying its last step) fills in that step's row.
 */
export function appendPoints(cols: MetricColumns, points: readonly MetricPoint[]): void {
  for (const p of points) {
    const last = cols.step.length - 1;
    let row = last >= 0 && cols.step[last] === p.step ? last : -1;
    if (row < 0 && last >= 0 && p.step < cols.step[last]!) row = cols.step.lastIndexOf(p.step);
    if (row < 0) {
      // Out of order (never expected): insert where it belongs so uPlot's x stays sorted.
      let at = cols.step.length;
      while (at > 0 && cols.step[at - 1]! > p.step) at--;
      cols.step.splice(at, 0, p.step);
      for (const m of METRICS) cols.values[m].splice(at, 0, null);
      row = at;
    }
    for (const m of METRICS) {
      const v = p[m];
      if (v !== undefined && v !== null && Number.isFinite(v)) cols.values[m][row] = v;
    }
  }
}

type Listener = () => void;

/** Columns per run, with change listeners; kept outside React so points never re-render the tree. */
export class MetricsHub {
  private readonly runs = new Map<string, MetricColumns>();
  private readonly listeners = new Map<string, Set<Listener>>();

  columns(run: string): MetricColumns {
    let c = this.runs.get(run);
    if (!c) {
      c = emptyColumns();
      this.runs.set(run, c);
    }
    return c;
  }

  /** Replaces a run's history (what runs.get returned), then tells listeners. */
  reset(run: string, points: readonly MetricPoint[]): void {
    const c = emptyColumns();
    appendPoints(c, points);
    this.runs.set(run, c);
    this.notify(run);
  }

  append(run: string, points: readonly MetricPoint[]): void {
    appendPoints(this.columns(run), points);
    this.notify(run);
  }

  subscribe(run: string, l: Listener): () => void {
    let set = this.listeners.get(run);
    if (!set) {
      set = new Set();
      this.listeners.set(run, set);
    }
    set.add(l);
    return () => set.delete(l);
  }

  private notify(run: string): void {
    for (const l of this.listeners.get(run) ?? []) l();
  }
}

export const metricsHub = new MetricsHub();
