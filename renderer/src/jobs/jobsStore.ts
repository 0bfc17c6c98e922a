import { createStore } from 'zustand/vanilla';
import type { MethodParams } from '../../../main/api/contract';
import type { Job } from '../../../main/api/jobSchemas';
import { api } from '../api/client';
import { sortJobs, upsertJob } from './jobs';
import { reportError } from '../workbench/toastStore';

export interface JobsStore {
  jobs: Job[];
  loaded: boolean;
  /** Ids with a cancel request in flight, so the button shows it. */
  cancelling: string[];
  load(): Promise<void>;
  apply(job: Job): void;
  /** `{kind, params}`, params typed by the kind (jobParams in main/api/jobSchemas.ts). */
  start(request: MethodParams<'jobs.start'>): Promise<Job | null>;
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

  async start(request) {
    try {
      const job = await api().call('jobs.start', request);
      get().apply(job);
      return job;
    } catch (err) {
      reportError(err, `Starting ${request.kind}`);
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
