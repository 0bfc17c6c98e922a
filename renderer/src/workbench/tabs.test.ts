import { describe, expect, it } from 'vitest';
import { activateTab, activeTab, closeTab, cycleTab, emptyTabs, openTab, setTabDirty, type TabsState } from './tabs';

const welcome = { title: 'Overview', icon: 'home', input: { kind: 'welcome' as const } };
const settings = { title: 'Settings', icon: 'gear', input: { kind: 'settings' as const } };
const artifact = (sha: string) => ({ id: `artifact:${sha}`, title: sha, icon: 'file', input: { kind: 'artifact' as const, sha256: sha, name: sha } });

const ids = (s: TabsState) => s.tabs.map((t) => t.id);

describe('tabs', () => {
  it('opens a tab after the active one and activates it', () => {
    let s = openTab(emptyTabs, welcome);
    s = openTab(s, settings);
    s = activateTab(s, 'welcome');
    s = openTab(s, artifact('aa'));
    expect(ids(s)).toEqual(['welcome', 'artifact:aa', 'settings']);
    expect(s.activeId).toBe('artifact:aa');
  });

  it('focuses the existing tab instead of opening the same input twice', () => {
    let s = openTab(openTab(emptyTabs, welcome), settings);
    s = openTab(s, welcome);
    expect(ids(s)).toEqual(['welcome', 'settings']);
    expect(s.activeId).toBe('welcome');
  });

  it('closing the active tab activates its right neighbour, else its left', () => {
    let s = openTab(openTab(openTab(emptyTabs, welcome), settings), artifact('aa'));
    s = activateTab(s, 'settings');
    s = closeTab(s, 'settings');
    expect(s.activeId).toBe('artifact:aa');
    s = closeTab(s, 'artifact:aa');
    expect(s.activeId).toBe('welcome');
    s = closeTab(s, 'welcome');
    expect(s).toEqual({ tabs: [], activeId: null });
  });

  it('closing another tab keeps the active one', () => {
    let s = openTab(openTab(emptyTabs, welcome), settings);
    s = closeTab(s, 'welcome');
    expect(s.activeId).toBe('settings');
    expect(closeTab(s, 'missing')).toBe(s);
  });

  it('cycles with wrap-around', () => {
    const s = openTab(openTab(openTab(emptyTabs, welcome), settings), artifact('aa'));
    expect(cycleTab(s, 1).activeId).toBe('welcome');
    expect(cycleTab(s, -1).activeId).toBe('settings');
    expect(cycleTab(emptyTabs, 1)).toBe(emptyTabs);
  });

  it('marks tabs dirty', () => {
    let s = openTab(emptyTabs, settings);
    s = setTabDirty(s, 'settings', true);
    expect(activeTab(s)?.dirty).toBe(true);
    expect(setTabDirty(s, 'settings', true)).toBe(s);
  });

  it('gives an open chain tab the new input instead of a second tab', () => {
    const accounts = (address?: string) => ({
      id: 'chain:accounts',
      title: 'Accounts',
      icon: 'account',
      input: { kind: 'chain' as const, view: address ? { page: 'accounts' as const, address } : { page: 'accounts' as const } },
    });
    let s = openTab(openTab(emptyTabs, accounts()), welcome);
    s = openTab(s, accounts('0xabc'));
    expect(ids(s)).toEqual(['chain:accounts', 'welcome']);
    expect(activeTab(s)?.input).toEqual({ kind: 'chain', view: { page: 'accounts', address: '0xabc' } });
  });
});
