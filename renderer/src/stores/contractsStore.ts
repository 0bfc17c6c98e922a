import { createStore } from 'zustand/vanilla';
import type { ContractInfo } from '../../../main/api/chainSchemas';
import { api } from '../api/client';

export interface ContractsStore {
  contracts: ContractInfo[];
  /** The deployment the list belongs to: a reset or redeploy changes the addresses. */
  deploymentId: number | null;
  loading: boolean;
  error: string | null;
  load(deploymentId: number | null): Promise<void>;
}

/** The protocol contracts of the current deployment with their ABIs (chain.contracts). */
export const contractsStore = createStore<ContractsStore>()((set, get) => ({
  contracts: [],
  deploymentId: null,
  loading: false,
  error: null,

  async load(deploymentId) {
    if (get().loading) return;
    set({ loading: true });
    try {
      const contracts = await api().call('chain.contracts', {});
      set({ contracts: [...contracts].sort((a, b) => a.name.localeCompare(b.name)), deploymentId, loading: false, error: null });
    } catch (err) {
      set({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  },
}));
