import { createStore } from 'zustand/vanilla';
import type { Artifact } from '../../../main/api/schemas';
import { api } from '../api/client';
import { reportError } from '../workbench/toastStore';

export interface ArtifactsStore {
  artifacts: Artifact[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
}

export const artifactsStore = createStore<ArtifactsStore>()((set) => ({
  artifacts: [],
  loaded: false,
  loading: false,
  error: null,
  async load() {
    set({ loading: true });
    try {
      const artifacts = await api().call('artifacts.list', {});
      artifacts.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      set({ artifacts, loaded: true, loading: false, error: null });
    } catch (err) {
      set({ loaded: true, loading: false, error: err instanceof Error ? err.message : String(err) });
      reportError(err, 'Listing artifacts');
    }
  },
}));
