import { createStore } from 'zustand/vanilla';
import type { Network, NetworkAddParams, NetworkCheck } from '../../../../main/api/networkSchemas';
import { api } from '../../api/client';
import { reportError, toastStore } from '../../workbench/toastStore';

/** The last check of a network: in flight, its answer, or the core's clear error. */
export type NetworkCheckState = { state: 'checking' } | { state: 'ok'; result: NetworkCheck } | { state: 'error'; message: string; code: string | null };

export interface NetworksStore {
  /** networks.list: the built-in devnet first, then added ones. */
  networks: Network[];
  loaded: boolean;
  checks: Record<string, NetworkCheckState>;
  /** Bumped by "Chain: Add Network…": the side bar opens its form and focuses it. */
  addRequest: number;
  load(): Promise<void>;
  /** Rejects with the core's error so the form can put it beside its field. */
  add(params: NetworkAddParams): Promise<Network>;
  check(name: string): Promise<void>;
  remove(name: string): Promise<void>;
  requestAdd(): void;
}

export const networksStore = createStore<NetworksStore>()((set, get) => ({
  networks: [],
  loaded: false,
  checks: {},
  addRequest: 0,

  async load() {
    try {
      const networks = await api().call('networks.list', {});
      // A check belongs to a network as listed now (a workspace switch or a removal drops it).
      const checks = Object.fromEntries(Object.entries(get().checks).filter(([name]) => networks.some((n) => n.name === name && !n.builtIn)));
      set({ networks, checks, loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Reading the networks');
    }
  },

  async add(params) {
    const network = await api().call('networks.add', params);
    await get().load();
    toastStore.getState().show('info', `Added network ${network.name} (chain ${network.chainId}). Check it to see that its RPC answers.`);
    return network;
  },

  async check(name) {
    set({ checks: { ...get().checks, [name]: { state: 'checking' } } });
    let next: NetworkCheckState;
    try {
      next = { state: 'ok', result: await api().call('networks.check', { name }) };
    } catch (err) {
      const e = err as { message?: string; code?: string };
      next = { state: 'error', message: e.message ?? String(err), code: e.code ?? null };
    }
    set({ checks: { ...get().checks, [name]: next } });
  },

  async remove(name) {
    try {
      await api().call('networks.remove', { name });
      const { [name]: _gone, ...checks } = get().checks;
      set({ checks });
      await get().load();
      toastStore.getState().show('info', `Removed network ${name}.`);
    } catch (err) {
      reportError(err, `Removing network ${name}`);
    }
  },

  requestAdd() {
    set({ addRequest: get().addRequest + 1 });
  },
}));
