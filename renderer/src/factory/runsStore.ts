import { createStore } from 'zustand/vanilla';
import { api } from '../api/client';
import { reportError } from '../workbench/toastStore';
import type { MetricPoint, RunDetail, RunSummary } from './factoryTypes';
import { metricsHub, rowsOf } from './metricSeries';

export interface RunsStore {
  runs: RunSummary[];
  loaded: boolean;
  /** Full records of the runs open in tabs (charts read metricsHub, not these). */
  details: Record<string, RunDetail>;
  /** Each run's newest streamed step, for the run page's header while it trains. */
  latest: Record<string, MetricPoint>;
  load(): Promise<void>;
  open(id: string): Promise<void>;
  /** baseDir: the saved pipeline file's folder (relative model paths resolve there). */
  start(yaml: string, baseDir?: string): Promise<RunSummary | null>;
  cancel(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  apply(run: RunSummary): void;
}

export const runsStore = createStore<RunsStore>()((set, get) => ({
  runs: [],
  loaded: false,
  details: {},
  latest: {},
  async load() {
    subscribeRunEvents();
    try {
      set({ runs: await api().call('runs.list', {}), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Listing runs');
    }
  },
  async open(id) {
    subscribeRunEvents();
    try {
      const detail = await api().call('runs.get', { id });
      metricsHub.reset(id, rowsOf(detail.metrics, detail.evaluations));
      set({ details: { ...get().details, [id]: detail } });
      get().apply(detail);
    } catch (err) {
      reportError(err, `Opening run ${id}`);
    }
  },
  async start(yaml, baseDir) {
    subscribeRunEvents();
    try {
      const run = await api().call('factory.start', baseDir ? { yaml, baseDir } : { yaml });
      get().apply(run);
      return run;
    } catch (err) {
      reportError(err, 'Starting the run');
      return null;
    }
  },
  async cancel(id) {
    try {
      get().apply(await api().call('runs.cancel', { id }));
    } catch (err) {
      reportError(err, `Cancelling run ${id}`);
    }
  },
  async resume(id) {
    try {
      get().apply(await api().call('runs.resume', { id }));
    } catch (err) {
      reportError(err, `Resuming run ${id}`);
    }
  },
  apply(run) {
    // A summary never replaces a detail's own fields (metrics, evaluations): merge.
    const runs = get().runs.some((r) => r.id === run.id) ? get().runs.map((r) => (r.id === run.id ? { ...r, ...pickSummary(run) } : r)) : [pickSummary(run), ...get().runs];
    const d = get().details[run.id];
    set({ runs, details: d ? { ...get().details, [run.id]: { ...d, ...pickSummary(run) } } : get().details });
  },
}));

function pickSummary(run: RunSummary): RunSummary {
  const { id, name, status, reason, configHash, datanet, model, steps, step, progress, finalLoss, evalLoss, tokensPerSecond, adapter, runDir, jobId, createdAt } = run;
  return { id, name, status, reason, configHash, datanet, model, steps, step, progress, finalLoss, evalLoss, tokensPerSecond, adapter, runDir, jobId, createdAt };
}

let subscribed = false;
const reading = new Set<string>();

/**
 * The core's run events, subscribed once: metric points go to metricsHub (charts redraw per
 * frame) and move the run's step in the list; a new status or an evaluation reads the run again
 * (its summary, adapter, evaluations) — a few times per run, never per point.
 */
export function subscribeRunEvents(): void {
  if (subscribed) return;
  subscribed = true;
  api().on('factory.metrics', (e) => {
    metricsHub.append(e.runId, rowsOf(e.points, e.evaluations));
    const s = runsStore.getState();
    const known = s.runs.find((r) => r.id === e.runId);
    const last = e.points.at(-1);
    if (last) runsStore.setState({ latest: { ...s.latest, [e.runId]: last } });
    if (known && last) s.apply({ ...known, status: e.status, step: Math.max(known.step, last.step), progress: known.steps ? Math.max(known.step, last.step) / known.steps : known.progress });
    if ((!known || known.status !== e.status || e.evaluations.length > 0) && !reading.has(e.runId)) {
      reading.add(e.runId);
      const refresh = s.details[e.runId]
        ? s.open(e.runId)
        : api().call('runs.get', { id: e.runId })
            .then((r) => s.apply(r))
            .catch(() => undefined);
      void refresh.finally(() => reading.delete(e.runId));
    }
  });
}
