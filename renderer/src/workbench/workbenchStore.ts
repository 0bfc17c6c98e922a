import { createStore } from 'zustand/vanilla';
import { browserStorage } from '../base/browserStorage';
import {
  type ActivityId,
  clampPanelHeight,
  initialLayout,
  clampSideBarWidth,
  type LayoutState,
  loadLayout,
  type PanelView,
  showActivity,
  toggleActivity,
  saveLayout,
  togglePanelView,
} from './layout';
import {
  activateTab,
  closeTab,
  cycleTab,
  emptyTabs,
  openTab,
  setTabDirty,
  type TabRequest,
  type TabsState,
} from './tabs';

export interface WorkbenchStore {
  layout: LayoutState;
  tabs: TabsState;
  /** The quick-pick on screen: every command, or the workspaces to switch to. */
  palette: PaletteMode | null;
  /** Bumped by "Create Workspace…" so the side bar's name field takes focus. */
  createWorkspaceRequest: number;
  /** Takes the layout remembered from the last session; called once the activities are registered. */
  restoreLayout(activities: readonly ActivityId[]): void;
  toggleActivity(id: ActivityId): void;
  showActivity(id: ActivityId): void;
  toggleSideBar(): void;
  togglePanel(): void;
  togglePanelView(view: PanelView): void;
  showPanelView(view: PanelView): void;
  openTab(tab: TabRequest): void;
  closeTab(id: string): void;
  activateTab(id: string): void;
  cycleTab(delta: number): void;
  setDirty(id: string, dirty: boolean): void;
  resizeSideBar(width: number, windowWidth: number): void;
  resizePanel(height: number, areaHeight: number): void;
  openPalette(mode: PaletteMode): void;
  closePalette(): void;
  requestCreateWorkspace(): void;
}

export type PaletteMode = 'commands' | 'workspaces';

/** Layout and tabs; every change goes through the pure functions in model/. */
export const workbenchStore = createStore<WorkbenchStore>()((set, get) => ({
  layout: initialLayout,
  tabs: emptyTabs,
  palette: null,
  createWorkspaceRequest: 0,
  restoreLayout: (activities) => set({ layout: loadLayout(browserStorage(), globalThis.innerWidth ?? 1280, globalThis.innerHeight ?? 800, activities) }),
  toggleActivity: (id) => set({ layout: toggleActivity(get().layout, id) }),
  showActivity: (id) => set({ layout: showActivity(get().layout, id) }),
  toggleSideBar: () => set({ layout: { ...get().layout, sideBarVisible: !get().layout.sideBarVisible } }),
  togglePanel: () => set({ layout: { ...get().layout, panelVisible: !get().layout.panelVisible } }),
  togglePanelView: (view) => set({ layout: togglePanelView(get().layout, view) }),
  showPanelView: (view) => set({ layout: { ...get().layout, panelVisible: true, panelView: view } }),
  openTab: (tab) => set({ tabs: openTab(get().tabs, tab) }),
  closeTab: (id) => set({ tabs: closeTab(get().tabs, id) }),
  activateTab: (id) => set({ tabs: activateTab(get().tabs, id) }),
  cycleTab: (delta) => set({ tabs: cycleTab(get().tabs, delta) }),
  setDirty: (id, dirty) => set({ tabs: setTabDirty(get().tabs, id, dirty) }),
  resizeSideBar: (width, windowWidth) => set({ layout: { ...get().layout, sideBarWidth: clampSideBarWidth(width, windowWidth) } }),
  resizePanel: (height, areaHeight) => set({ layout: { ...get().layout, panelHeight: clampPanelHeight(height, areaHeight) } }),
  openPalette: (mode) => set({ palette: mode }),
  closePalette: () => set({ palette: null }),
  requestCreateWorkspace: () =>
    set({
      layout: showActivity(get().layout, 'workspace'),
      createWorkspaceRequest: get().createWorkspaceRequest + 1,
    }),
}));

// The layout (side bar and panel: shown, view, size) is remembered for the next session.
workbenchStore.subscribe((state, previous) => {
  if (state.layout !== previous.layout) saveLayout(browserStorage(), state.layout);
});
