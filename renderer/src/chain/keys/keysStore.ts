import { createStore } from 'zustand/vanilla';
import type { KeyInfo } from '../../../../main/api/networkSchemas';
import { api } from '../../api/client';
import { reportError, toastStore } from '../../workbench/toastStore';

export type KeyFormMode = 'create' | 'import';

/**
 * The workspace's stored keys: address, label and backend only (the API never returns a private
 * key). Passphrases and private keys pass through `create`/`import` as arguments and are never
 * kept here.
 */
export interface KeysStore {
  keys: KeyInfo[];
  loaded: boolean;
  /** Which form "Keys: Create Key…" / "Keys: Import Key…" asked for, and a counter to refocus it. */
  form: { mode: KeyFormMode; request: number } | null;
  load(): Promise<void>;
  /** Reject with the core's error so the form can put it beside its field. */
  create(label: string | undefined, passphrase: string): Promise<KeyInfo>;
  import(privateKey: string, label: string | undefined, passphrase: string): Promise<KeyInfo>;
  remove(id: string): Promise<void>;
  openForm(mode: KeyFormMode): void;
  closeForm(): void;
}

export const keysStore = createStore<KeysStore>()((set, get) => ({
  keys: [],
  loaded: false,
  form: null,

  async load() {
    try {
      set({ keys: await api().call('keys.list', {}), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Reading the keys');
    }
  },

  async create(label, passphrase) {
    const key = await api().call('keys.create', { ...(label ? { label } : {}), passphrase });
    await get().load();
    toastStore.getState().show('info', `Created key ${key.label} (${key.address}).`);
    return key;
  },

  async import(privateKey, label, passphrase) {
    const key = await api().call('keys.import', { privateKey: privateKey.trim(), ...(label ? { label } : {}), passphrase });
    await get().load();
    toastStore.getState().show('info', `Imported key ${key.label} (${key.address}).`);
    return key;
  },

  async remove(id) {
    try {
      const key = await api().call('keys.remove', { id });
      await get().load();
      toastStore.getState().show('info', `Removed key ${key.label}; its keystore file is kept in keys/removed/.`);
    } catch (err) {
      reportError(err, 'Removing a key');
    }
  },

  openForm(mode) {
    set({ form: { mode, request: (get().form?.request ?? 0) + 1 } });
  },

  closeForm() {
    set({ form: null });
  },
}));
