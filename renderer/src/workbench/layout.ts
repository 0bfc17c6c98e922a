import type { KeyValueStore } from '../base/keyValueStore';

/** An activity's id: the id its domain registered it under (workbench/contributions.tsx). */
export type ActivityId = string;

export type PanelView = 'jobs' | 'logs';

export interface LayoutState {
  activity: ActivityId;
  sideBarVisible: boolean;
  panelVisible: boolean;
  panelView: PanelView;
  /** Side bar width in CSS pixels. */
  sideBarWidth: number;
  /** Panel height in CSS pixels. */
  panelHeight: number;
}

export const initialLayout: LayoutState = {
  activity: 'workspace',
  sideBarVisible: true,
  panelVisible: true,
  panelView: 'jobs',
  sideBarWidth: 280,
  panelHeight: 280,
};

export const SIDE_BAR_MIN = 170;
export const PANEL_MIN = 100;
/** The editor keeps at least this much beside the side bar and above the panel. */
export const EDITOR_MIN = 220;

const clamp = (v: number, lo: number, hi: number) => Math.round(Math.min(Math.max(v, lo), Math.max(lo, hi)));

/** A side bar width that leaves the editor room in a window `windowWidth` wide. */
export function clampSideBarWidth(width: number, windowWidth: number): number {
  return clamp(width, SIDE_BAR_MIN, windowWidth - 48 - EDITOR_MIN);
}

/** A panel height that leaves the editor room in a main area `areaHeight` tall. */
export function clampPanelHeight(height: number, areaHeight: number): number {
  return clamp(height, PANEL_MIN, areaHeight - EDITOR_MIN);
}

/** Clicking the active activity again hides the side bar; any other shows it (VS Code's rule). */
export function toggleActivity(state: LayoutState, activity: ActivityId): LayoutState {
  if (state.activity === activity && state.sideBarVisible) return { ...state, sideBarVisible: false };
  return { ...state, activity, sideBarVisible: true };
}

/** Reveals an activity without ever hiding the side bar (commands, keybindings). */
export function showActivity(state: LayoutState, activity: ActivityId): LayoutState {
  return { ...state, activity, sideBarVisible: true };
}

/** Showing the view already on screen hides the panel; any other shows it. */
export function togglePanelView(state: LayoutState, view: PanelView): LayoutState {
  if (state.panelVisible && state.panelView === view) return { ...state, panelVisible: false };
  return { ...state, panelVisible: true, panelView: view };
}

export const LAYOUT_STORAGE_KEY = 'studio.layout';

/**
 * The layout remembered from the last session, each field checked on its own (a missing, broken
 * or outdated value keeps its default; an activity must be one of `activities`, those
 * registered), with the sizes fitted to the window as it is now.
 */
export function loadLayout(storage: KeyValueStore | undefined, windowWidth: number, windowHeight: number, activities: readonly ActivityId[]): LayoutState {
  let saved: unknown;
  try {
    saved = JSON.parse(storage?.getItem(LAYOUT_STORAGE_KEY) ?? 'null');
  } catch {
    return initialLayout;
  }
  if (typeof saved !== 'object' || saved === null) return initialLayout;
  const s = saved as Record<string, unknown>;
  const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
  const size = (v: unknown, d: number) => (typeof v === 'number' && Number.isFinite(v) ? v : d);
  return {
    activity: (activities as readonly unknown[]).includes(s['activity']) ? (s['activity'] as ActivityId) : initialLayout.activity,
    sideBarVisible: bool(s['sideBarVisible'], initialLayout.sideBarVisible),
    panelVisible: bool(s['panelVisible'], initialLayout.panelVisible),
    panelView: s['panelView'] === 'jobs' || s['panelView'] === 'logs' ? s['panelView'] : initialLayout.panelView,
    sideBarWidth: clampSideBarWidth(size(s['sideBarWidth'], initialLayout.sideBarWidth), windowWidth),
    panelHeight: clampPanelHeight(size(s['panelHeight'], initialLayout.panelHeight), windowHeight),
  };
}

export function saveLayout(storage: KeyValueStore | undefined, layout: LayoutState): void {
  try {
    storage?.setItem(LAYOUT_STORAGE_KEY, JSON.stringify(layout));
  } catch {
    // Storage full or disabled: the layout still works for this session.
  }
}
