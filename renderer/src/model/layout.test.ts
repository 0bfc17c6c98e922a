import { describe, expect, it } from 'vitest';
import { clampPanelHeight, clampSideBarWidth, initialLayout, PANEL_MIN, SIDE_BAR_MIN, showActivity, toggleActivity, togglePanelView } from './layout';

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
