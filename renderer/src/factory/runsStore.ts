import { createStore } from 'zustand/vanilla';
import { reportError } from '../workbench/toastStore';
import { callFactory, onFactoryEvent } from './factoryApi';
import type { RunDetail, RunSummary } from './factoryTypes';
import { type MetricPoint, metricsHub } from './metricSeries';

export interface RunsStore {
  runs: RunSummary[];
  loaded: boolean;
  /** Full records of the runs open in tabs (charts read metricsHub, not these). */
  details: Record<string, RunDetail>;
  load(): Promise<void>;
  open(id: string): Promise<void>;
  start(yaml: string): Promise<RunSummary | null>;
  cancel(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  apply(run: RunSummary): void;
}

export const runsStore = createStore<RunsStore>()((set, get) => ({
  runs: [],
  loaded: false,
  details: {},
  async load() {
    subscribeRunEvents();
    try {
      set({ runs: await callFactory<RunSummary[]>('runs.list', {}), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Listing runs');
    }
  },
  async open(id) {
    subscribeRunEvents();
    try {
      const detail = await callFactory<RunDetail>('runs.get', { id });
      metricsHub.reset(id, detail.metrics);
      set({ details: { ...get().details, [id]: detail } });
      get().apply(detail);
    } catch (err) {
      reportError(err, `Opening run ${id}`);
    }
  },
  async start(yaml) {
    try {
      const run = await callFactory<RunSummary>('factory.start', { yaml });
      get().apply(run);
      return run;
    } catch (err) {
      reportError(err, 'Starting the run');
      return null;
    }
  },
  async cancel(id) {
    try {
      get().apply(await callFactory<RunSummary>('runs.cancel', { id }));
    } catch (err) {
      reportError(err, `Cancelling run ${id}`);
    }
  },
  async resume(id) {
    try {
      get().apply(await callFactory<RunSummary>('runs.resume', { id }));
    } catch (err) {
      reportError(err, `Resuming run ${id}`);
    }
  },
  apply(run) {
    const runs = get().runs.some((r) => r.id === run.id) ? get().runs.map((r) => (r.id === run.id ? { ...r, ...run } : r)) : [run, ...get().runs];
    const d = get().details[run.id];
    set({ runs, details: d ? { ...get().details, [run.id]: { ...d, ...run } } : get().details });
  },
}));

/**
 * The core's run events, subscribed once: metric points go to metricsHub (charts redraw per
 * frame); a run's new state updates the list; an open run whose state changed is read again
 * (checkpoints, samples and logs come with it).
 */
let subscribed = false;
export function subscribeRunEvents(): void {
  if (subscribed) return;
  subscribed = true;
  onFactoryEvent<{ run: string; points: MetricPoint[] }>('factory.metrics', ({ run, points }) => metricsHub.append(run, points));
  onFactoryEvent<RunSummary>('run.updated', (run) => {
    const before = runsStore.getState().runs.find((r) => r.id === run.id);
    runsStore.getState().apply(run);
    const open = runsStore.getState().details[run.id];
    if (open && (before?.status !== run.status || run.step % 10 === 0)) void runsStore.getState().open(run.id);
  });
}
