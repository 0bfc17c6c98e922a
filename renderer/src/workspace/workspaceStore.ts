import { createStore } from 'zustand/vanilla';
import type { AppInfo, WorkspaceInfo, WorkspaceSummary } from '../../../main/api/schemas';
import { api } from '../api/client';
import { reportError, toastStore } from '../workbench/toastStore';

export interface WorkspaceStore {
  appInfo: AppInfo | null;
  current: WorkspaceInfo | null;
  list: WorkspaceSummary[];
  /** The first load has finished (whether or not it failed). */
  loaded: boolean;
  loadError: string | null;
  /** A switch in progress: the name being opened. */
  opening: string | null;
  load(): Promise<void>;
  refreshList(): Promise<void>;
  /** workspace.current again: its counts move as jobs and artifacts come and go. */
  refreshCurrent(): Promise<void>;
  /** app.info again: capability states (the chain's) change while the app runs. */
  refreshAppInfo(): Promise<void>;
  setCurrent(info: WorkspaceInfo): void;
  open(name: string): Promise<boolean>;
  create(name: string): Promise<WorkspaceSummary | null>;
}

export const workspaceStore = createStore<WorkspaceStore>()((set, get) => ({
  appInfo: null,
  current: null,
  list: [],
  loaded: false,
  loadError: null,
  opening: null,

  async load() {
    try {
      const [appInfo, current, list] = await Promise.all([
        api().call('app.info', {}),
        api().call('workspace.current', {}),
        api().call('workspace.list', {}),
      ]);
      set({ appInfo, current, list, loaded: true, loadError: null });
    } catch (err) {
      set({ loaded: true, loadError: err instanceof Error ? err.message : String(err) });
      reportError(err, 'Loading the workspace');
    }
  },

  async refreshList() {
    try {
      set({ list: await api().call('workspace.list', {}) });
    } catch (err) {
      reportError(err, 'Listing workspaces');
    }
  },

  async refreshCurrent() {
    try {
      set({ current: await api().call('workspace.current', {}) });
    } catch (err) {
      reportError(err, 'Reading the workspace');
    }
  },

  async refreshAppInfo() {
    try {
      set({ appInfo: await api().call('app.info', {}) });
    } catch {
      // The status bar keeps the last answer; a lost connection is already on screen.
    }
  },

  setCurrent(info) {
    set({ current: info });
  },

  async open(name) {
    if (get().opening) return false;
    set({ opening: name });
    try {
      const info = await api().call('workspace.open', { name });
      set({ current: info });
      toastStore.getState().show('info', `Opened workspace "${info.name}".`);
      void get().refreshList();
      return true;
    } catch (err) {
      reportError(err, `Opening workspace "${name}"`);
      return false;
    } finally {
      set({ opening: null });
    }
  },

  async create(name) {
    try {
      const created = await api().call('workspace.create', { name });
      await get().refreshList();
      toastStore.getState().show('info', `Created workspace "${created.name}".`);
      return created;
    } catch (err) {
      reportError(err, `Creating workspace "${name}"`);
      return null;
    }
  },
}));
