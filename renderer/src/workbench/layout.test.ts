import { describe, expect, it } from 'vitest';
import { clampPanelHeight, clampSideBarWidth, initialLayout, LAYOUT_STORAGE_KEY, loadLayout, PANEL_MIN, SIDE_BAR_MIN, saveLayout, showActivity, toggleActivity, togglePanelView } from './layout';

/** The activities the workbench registers (renderer/src/contributions.ts). */
const ACTIVITY_IDS = ['workspace', 'datanets', 'factory', 'playground', 'chain', 'artifacts'];

describe('layout', () => {
  it('clicking the shown activity hides the side bar; another one shows it', () => {
    const hidden = toggleActivity(initialLayout, initialLayout.activity);
    expect(hidden.sideBarVisible).toBe(false);
    const shown = toggleActivity(hidden, 'chain');
    expect(shown).toMatchObject({ activity: 'chain', sideBarVisible: true });
    expect(toggleActivity(hidden, initialLayout.activity).sideBarVisible).toBe(true);
  });

  it('showActivity never hides', () => {
    expect(showActivity(initialLayout, initialLayout.activity).sideBarVisible).toBe(true);
  });

  it('toggling the panel view on screen hides the panel', () => {
    const s = togglePanelView(initialLayout, initialLayout.panelView);
    expect(s.panelVisible).toBe(false);
    expect(togglePanelView(s, 'logs')).toMatchObject({ panelVisible: true, panelView: 'logs' });
  });
});

describe('sizes', () => {
  it('keeps the side bar between its minimum and what leaves the editor room', () => {
    expect(clampSideBarWidth(10, 1440)).toBe(SIDE_BAR_MIN);
    expect(clampSideBarWidth(300.4, 1440)).toBe(300);
    expect(clampSideBarWidth(5000, 1440)).toBe(1440 - 48 - 220);
    // A window too small for both: the minimum wins.
    expect(clampSideBarWidth(400, 300)).toBe(SIDE_BAR_MIN);
  });

  it('keeps the panel between its minimum and what leaves the editor room', () => {
    expect(clampPanelHeight(0, 800)).toBe(PANEL_MIN);
    expect(clampPanelHeight(700, 800)).toBe(580);
  });
});

describe('remembered layout', () => {
  const memory = () => {
    const m = new Map<string, string>();
    return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
  };

  it('round-trips through storage', () => {
    const store = memory();
    const layout = { ...initialLayout, activity: 'chain' as const, panelVisible: false, panelView: 'logs' as const, sideBarWidth: 333, panelHeight: 210 };
    saveLayout(store, layout);
    expect(loadLayout(store, 1440, 900, ACTIVITY_IDS)).toEqual(layout);
  });

  it('falls back field by field: nothing saved, broken JSON, wrong types, unknown names', () => {
    const store = memory();
    expect(loadLayout(store, 1440, 900, ACTIVITY_IDS)).toEqual(initialLayout);
    store.setItem(LAYOUT_STORAGE_KEY, '{not json');
    expect(loadLayout(store, 1440, 900, ACTIVITY_IDS)).toEqual(initialLayout);
    store.setItem(LAYOUT_STORAGE_KEY, JSON.stringify({ activity: 'nope', sideBarVisible: 'yes', panelView: 'terminal', sideBarWidth: 'wide', panelHeight: 240 }));
    expect(loadLayout(store, 1440, 900, ACTIVITY_IDS)).toEqual({ ...initialLayout, panelHeight: 240 });
    store.setItem(LAYOUT_STORAGE_KEY, '42');
    expect(loadLayout(store, 1440, 900, ACTIVITY_IDS)).toEqual(initialLayout);
  });

  it('fits remembered sizes to a smaller window', () => {
    const store = memory();
    saveLayout(store, { ...initialLayout, sideBarWidth: 1000, panelHeight: 700 });
    const small = loadLayout(store, 800, 600, ACTIVITY_IDS);
    expect(small.sideBarWidth).toBe(clampSideBarWidth(1000, 800));
    expect(small.panelHeight).toBe(clampPanelHeight(700, 600));
  });

  it('a storage that throws on write loses nothing but the memory', () => {
    expect(() => saveLayout({ getItem: () => null, setItem: () => { throw new Error('quota'); } }, initialLayout)).not.toThrow();
    expect(() => saveLayout(undefined, initialLayout)).not.toThrow();
  });
});
