import { createStore } from 'zustand/vanilla';
import type { MethodParams, MethodResult } from '../../../main/api/contract';
import type { Datanet, DatanetStats } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { reportError } from '../workbench/toastStore';

export interface DatanetsStore {
  datanets: Datanet[];
  loaded: boolean;
  error: string | null;
  /** Stats per datanet name, read when its tab shows and after every change to its records. */
  stats: Record<string, DatanetStats>;
  /** Bumped when a datanet's records change (import, review), so open tables read again. */
  revision: Record<string, number>;
  /** Set by the side bar's "+" so the create form opens (a counter: each request refocuses). */
  createRequest: number;
  load(): Promise<void>;
  /** Throws the core's error, so the form can show it beside its field. */
  create(params: MethodParams<'datanets.create'>): Promise<Datanet>;
  loadStats(name: string): Promise<void>;
  /** Records of `name` changed: stats, the list's counts and open tables read again. */
  changed(name: string): void;
}

/** The workspace's datanets (datanets.list) and each open one's stats (datanets.stats). */
export const datanetsStore = createStore<DatanetsStore>()((set, get) => ({
  datanets: [],
  loaded: false,
  error: null,
  stats: {},
  revision: {},
  createRequest: 0,

  async load() {
    try {
      set({ datanets: await api().call('datanets.list', {}), loaded: true, error: null });
    } catch (err) {
      set({ loaded: true, error: err instanceof Error ? err.message : String(err) });
    }
  },

  async create(params) {
    const d = await api().call('datanets.create', params);
    await get().load();
    return d;
  },

  async loadStats(name) {
    try {
      const s: MethodResult<'datanets.stats'> = await api().call('datanets.stats', { datanet: name });
      set({ stats: { ...get().stats, [name]: s } });
    } catch (err) {
      reportError(err, `Reading ${name}'s statistics`);
    }
  },

  changed(name) {
    set({ revision: { ...get().revision, [name]: (get().revision[name] ?? 0) + 1 } });
    void get().loadStats(name);
    void get().load();
  },
}));
