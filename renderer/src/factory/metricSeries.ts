// A run's metrics as columns (one array per metric, aligned on step), the shape uPlot draws
// without copying. Points arrive from the `factory.metrics` event many times a second; they are
// appended here in place and listeners are told at once; charts redraw once per animation frame
// (UPlotChart), so a burst of points costs one redraw.
import type { MetricPoint, RunEvaluation } from './factoryTypes';

export const METRICS = ['loss', 'evalLoss', 'lr', 'gradNorm', 'tokensPerSecond', 'memoryMB'] as const;
export type MetricName = (typeof METRICS)[number];

/** One row: the step, and whichever metrics that step reported (eval loss only at evaluations). */
export type MetricRow = { step: number; time?: number } & Partial<Record<MetricName, number | null>>;

export interface MetricColumns {
  step: number[];
  /** Wall-clock ms of each step (for the ETA); NaN where unknown. */
  time: number[];
  values: Record<MetricName, (number | null)[]>;
}

export function emptyColumns(): MetricColumns {
  return { step: [], time: [], values: { loss: [], evalLoss: [], lr: [], gradNorm: [], tokensPerSecond: [], memoryMB: [] } };
}

/** The core's points and evaluations as rows (an evaluation fills the eval loss of its step). */
export function rowsOf(points: readonly MetricPoint[], evaluations: readonly RunEvaluation[] = []): MetricRow[] {
  return [
    ...points.map((p) => ({ step: p.step, time: Date.parse(p.time), loss: p.loss, lr: p.lr, gradNorm: p.gradNorm, tokensPerSecond: p.tokensPerSecond, memoryMB: p.memoryMB })),
    ...evaluations.map((e) => ({ step: e.step, evalLoss: e.evalLoss })),
  ];
}

/**
 * Appends rows. A row for a step already present (an evaluation reported after the step's
 * training metrics, or a resumed run replaying its last step) fills in that step's row; a step
 * out of order is inserted where it belongs, so uPlot's x stays sorted.
 */
export function appendPoints(cols: MetricColumns, rows: readonly MetricRow[]): void {
  for (const p of rows) {
    const last = cols.step.length - 1;
    let row = last >= 0 && cols.step[last] === p.step ? last : -1;
    if (row < 0 && last >= 0 && p.step < cols.step[last]!) row = cols.step.lastIndexOf(p.step);
    if (row < 0) {
      let at = cols.step.length;
      while (at > 0 && cols.step[at - 1]! > p.step) at--;
      cols.step.splice(at, 0, p.step);
      cols.time.splice(at, 0, Number.NaN);
      for (const m of METRICS) cols.values[m].splice(at, 0, null);
      row = at;
    }
    if (p.time !== undefined && Number.isFinite(p.time)) cols.time[row] = p.time;
    for (const m of METRICS) {
      const v = p[m];
      if (v !== undefined && v !== null && Number.isFinite(v)) cols.values[m][row] = v;
    }
  }
}

/** Seconds left at the recent pace (the last `window` timed steps); null before two timed steps. */
export function etaSeconds(cols: MetricColumns, steps: number, window = 20): number | null {
  const timed: number[] = [];
  for (let i = cols.step.length - 1; i >= 0 && timed.length < window; i--) if (Number.isFinite(cols.time[i])) timed.push(i);
  if (timed.length < 2) return null;
  const a = timed[timed.length - 1]!;
  const b = timed[0]!;
  const perStep = (cols.time[b]! - cols.time[a]!) / 1000 / Math.max(1, cols.step[b]! - cols.step[a]!);
  return Math.max(0, (steps - cols.step[b]!) * perStep);
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
  reset(run: string, rows: readonly MetricRow[]): void {
    const c = emptyColumns();
    appendPoints(c, rows);
    this.runs.set(run, c);
    this.notify(run);
  }

  append(run: string, rows: readonly MetricRow[]): void {
    appendPoints(this.columns(run), rows);
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
