/**
 * What a tab shows, by editor kind. Each kind maps to one editor, which a domain registers in the
 * workbench's registry (contributions.tsx); the domain adds its inputs here by declaration
 * merging next to that registration, e.g.
 * `declare module '../workbench/tabs' { interface TabInputs { artifact: { sha256: string } } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface TabInputs {}

export type TabInput = { [K in keyof TabInputs]: { kind: K } & TabInputs[K] }[keyof TabInputs];
export type TabInputOf<K extends keyof TabInputs> = Extract<TabInput, { kind: K }>;

export interface Tab {
  id: string;
  title: string;
  /** Codicon name. */
  icon: string;
  input: TabInput;
  dirty: boolean;
}

export interface TabsState {
  tabs: Tab[];
  activeId: string | null;
}

export const emptyTabs: TabsState = { tabs: [], activeId: null };

/** What opens a tab. `id` says which inputs share a tab (default: one tab per kind). */
export type TabRequest = Omit<Tab, 'id' | 'dirty'> & { id?: string };

/**
 * Opens (or focuses) a tab; a new one goes right after the active tab, as in VS Code. One tab per
 * id: opening the same thing again focuses the tab it already has, which takes the new input
 * (the Accounts tab asked for another address, say).
 */
export function openTab(state: TabsState, tab: TabRequest): TabsState {
  const id = tab.id ?? tab.input.kind;
  if (state.tabs.some((t) => t.id === id)) {
    return { tabs: state.tabs.map((t) => (t.id === id ? { ...t, title: tab.title, input: tab.input } : t)), activeId: id };
  }
  const activeIndex = state.tabs.findIndex((t) => t.id === state.activeId);
  const at = activeIndex < 0 ? state.tabs.length : activeIndex + 1;
  const tabs = [...state.tabs.slice(0, at), { title: tab.title, icon: tab.icon, input: tab.input, id, dirty: false }, ...state.tabs.slice(at)];
  return { tabs, activeId: id };
}

/** Closes a tab; closing the active one activates its right neighbour, else its left. */
export function closeTab(state: TabsState, id: string): TabsState {
  const index = state.tabs.findIndex((t) => t.id === id);
  if (index < 0) return state;
  const tabs = state.tabs.filter((t) => t.id !== id);
  if (state.activeId !== id) return { tabs, activeId: state.activeId };
  const next = tabs[index] ?? tabs[index - 1] ?? null;
  return { tabs, activeId: next ? next.id : null };
}

export function activateTab(state: TabsState, id: string): TabsState {
  return state.tabs.some((t) => t.id === id) ? { ...state, activeId: id } : state;
}

/** Moves the active tab by `delta` places, wrapping around (Ctrl+PageDown / PageUp). */
export function cycleTab(state: TabsState, delta: number): TabsState {
  const n = state.tabs.length;
  if (n === 0) return state;
  const index = Math.max(
    0,
    state.tabs.findIndex((t) => t.id === state.activeId),
  );
  const next = state.tabs[(((index + delta) % n) + n) % n];
  return next ? { ...state, activeId: next.id } : state;
}

export function setTabDirty(state: TabsState, id: string, dirty: boolean): TabsState {
  const tab = state.tabs.find((t) => t.id === id);
  if (!tab || tab.dirty === dirty) return state;
  return { ...state, tabs: state.tabs.map((t) => (t.id === id ? { ...t, dirty } : t)) };
}

export function activeTab(state: TabsState): Tab | undefined {
  return state.tabs.find((t) => t.id === state.activeId);
}
