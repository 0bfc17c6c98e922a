import { createStore } from 'zustand/vanilla';
import type { Publication } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { reportError } from '../../workbench/toastStore';

export interface PublicationsStore {
  publications: Publication[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
  /** A `publication.updated` event. */
  apply(p: Publication): void;
}

/** Newest first by creation; an update replaces the row with its id. */
export function mergePublication(held: readonly Publication[], p: Publication): Publication[] {
  const rest = held.filter((h) => h.id !== p.id);
  return [p, ...rest].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

/** The workspace's publications (SQLite, so they list while the devnet is stopped too). */
export const publicationsStore = createStore<PublicationsStore>()((set, get) => ({
  publications: [],
  loaded: false,
  loading: false,
  error: null,

  async load() {
    set({ loading: true });
    try {
      const list = await api().call('publications.list', { limit: 1000 });
      set({ publications: [...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt)), loaded: true, loading: false, error: null });
    } catch (err) {
      set({ loaded: true, loading: false, error: err instanceof Error ? err.message : String(err) });
      reportError(err, 'Listing publications');
    }
  },

  apply(p) {
    set({ publications: mergePublication(get().publications, p) });
  },
}));
