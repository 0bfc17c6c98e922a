import { createStore } from 'zustand/vanilla';
import { ApiCallError } from '../../../main/api/apiClient';
import type { Settings } from '../../../main/api/schemas';
import { api } from '../api/client';
import { type EditorMarker, markersFromError } from './settingsErrors';
import { reportError, toastStore } from '../workbench/toastStore';

export interface SettingsStore {
  settings: Settings | null;
  /** The text as the core last stored it. */
  savedText: string;
  /** The text in the editor. */
  draft: string;
  jsonSchema: Record<string, unknown> | null;
  loaded: boolean;
  saving: boolean;
  /** Errors from the last save, placed on lines; cleared by a successful save. */
  markers: EditorMarker[];
  load(): Promise<void>;
  setDraft(text: string): void;
  save(): Promise<boolean>;
  /** `settings.changed` from elsewhere (CLI, another window): adopt it unless there are edits. */
  changedElsewhere(settings: Settings): void;
}

export function isSettingsDirty(s: Pick<SettingsStore, 'draft' | 'savedText'>): boolean {
  return s.draft !== s.savedText;
}

export const settingsStore = createStore<SettingsStore>()((set, get) => ({
  settings: null,
  savedText: '',
  draft: '',
  jsonSchema: null,
  loaded: false,
  saving: false,
  markers: [],

  async load() {
    try {
      const { settings, text, jsonSchema } = await api().call('settings.get', {});
      set({ settings, savedText: text, draft: text, jsonSchema, loaded: true, markers: [] });
    } catch (err) {
      reportError(err, 'Reading settings');
    }
  },

  setDraft(text) {
    set({ draft: text });
  },

  async save() {
    const text = get().draft;
    set({ saving: true });
    try {
      const settings = await api().call('settings.update', { text });
      set({ settings, savedText: text, saving: false, markers: [] });
      toastStore.getState().show('info', 'Settings saved.');
      return true;
    } catch (err) {
      // Rejections name a field or line: they go on the editor. Anything else is a toast.
      if (!(err instanceof ApiCallError) || err.code === 'DISCONNECTED') {
        reportError(err, 'Saving settings');
        set({ saving: false });
        return false;
      }
      set({ saving: false, markers: markersFromError(err, text) });
      return false;
    }
  },

  changedElsewhere(settings) {
    set({ settings });
    if (!isSettingsDirty(get())) void get().load();
  },
}));
