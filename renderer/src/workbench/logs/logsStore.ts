import { createStore } from 'zustand/vanilla';
import type { LogEntry } from '../../../../main/api/schemas';
import { api } from '../../api/client';
import { appendLogs, type LogLevel } from './logs';
import { reportError } from '../toastStore';

export interface LogsStore {
  entries: LogEntry[];
  minLevel: LogLevel;
  filterText: string;
  /** Only this job's entries, when set (from a job's "Show logs"). */
  jobId: string | null;
  load(): Promise<void>;
  append(entries: LogEntry[]): void;
  clear(): void;
  setMinLevel(level: LogLevel): void;
  setFilterText(text: string): void;
  setJobFilter(jobId: string | null): void;
}

export const logsStore = createStore<LogsStore>()((set, get) => ({
  entries: [],
  minLevel: 'info',
  filterText: '',
  jobId: null,
  async load() {
    try {
      get().append(await api().call('logs.recent', { limit: 500 }));
    } catch (err) {
      reportError(err, 'Reading recent logs');
    }
  },
  append(entries) {
    set({ entries: appendLogs(get().entries, entries) });
  },
  clear: () => set({ entries: [] }),
  setMinLevel: (minLevel) => set({ minLevel }),
  setFilterText: (filterText) => set({ filterText }),
  setJobFilter: (jobId) => set({ jobId }),
}));
