import { createStore } from 'zustand/vanilla';
import type { ContractAbi, ContractInfo } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';

export interface ContractsStore {
  contracts: ContractInfo[];
  /** The deployment the list belongs to: a reset or redeploy changes the addresses. */
  deploymentId: number | null;
  loading: boolean;
  error: string | null;
  load(deploymentId: number | null): Promise<void>;
  /** The protocol ABIs alone (chain.abis): the forms' source while the devnet is stopped. */
  abis: ContractAbi[];
  loadAbis(): Promise<void>;
}

/** The protocol contracts of the current deployment with their ABIs (chain.contracts), and the
 * ABIs alone from the generated artifacts (chain.abis) for when the devnet is stopped. */
export const contractsStore = createStore<ContractsStore>()((set, get) => ({
  contracts: [],
  deploymentId: null,
  loading: false,
  error: null,
  abis: [],

  async loadAbis() {
    if (get().loading) return;
    set({ loading: true });
    try {
      const abis = await api().call('chain.abis', {});
      set({ abis: [...abis].sort((a, b) => a.name.localeCompare(b.name)), loading: false, error: null });
    } catch (err) {
      set({ loading: false, error: err instanceof Error ? err.message : String(err) });
    }
  },

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
