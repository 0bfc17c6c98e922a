import { createStore } from 'zustand/vanilla';
import type { Job, JobKind } from '../../../main/api/schemas';
import { api } from '../api/client';
import { sortJobs, upsertJob } from '../model/jobs';
import { reportError } from './toastStore';

export interface JobsStore {
  jobs: Job[];
  loaded: boolean;
  /** Ids with a cancel request in flight, so the button shows it. */
  cancelling: string[];
  load(): Promise<void>;
  apply(job: Job): void;
  start(kind: JobKind, params: unknown): Promise<Job | null>;
  cancel(id: string): Promise<void>;
}

export const jobsStore = createStore<JobsStore>()((set, get) => ({
  jobs: [],
  loaded: false,
  cancelling: [],

  async load() {
    try {
      set({ jobs: sortJobs(await api().call('jobs.list', { limit: 200 })), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Listing jobs');
    }
  },

  apply(job) {
    set({ jobs: upsertJob(get().jobs, job) });
  },

  async start(kind, params) {
    try {
      const job = await api().call('jobs.start', { kind, params });
      get().apply(job);
      return job;
    } catch (err) {
      reportError(err, `Starting ${kind}`);
      return null;
    }
  },

  async cancel(id) {
    set({ cancelling: [...get().cancelling, id] });
    try {
      get().apply(await api().call('jobs.cancel', { id }));
    } catch (err) {
      reportError(err, 'Cancelling the job');
    } finally {
      set({ cancelling: get().cancelling.filter((c) => c !== id) });
    }
  },
}));
