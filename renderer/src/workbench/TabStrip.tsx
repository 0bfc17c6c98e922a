import type { KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import { workbenchStore } from './workbenchStore';
import { Codicon } from '../components/Codicon';
import { keybindingLabel } from '../components/Keybinding';

/** The open editors as tabs: click or arrow keys switch, the × or middle click closes. */
export function TabStrip() {
  const { tabs, activeId } = useStore(workbenchStore, (s) => s.tabs);
  const wb = workbenchStore.getState;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
    e.preventDefault();
    wb().cycleTab(e.key === 'ArrowRight' ? 1 : -1);
    requestAnimationFrame(() => e.currentTarget?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]')?.focus());
  };

  return (
    <div className="tab-strip" role="tablist" aria-label="Open editors" onKeyDown={onKeyDown}>
      {tabs.map((tab) => {
        const active = tab.id === activeId;
        return (
          <div
            key={tab.id}
            role="tab"
            id={`tab-${tab.id}`}
            aria-selected={active}
            aria-controls="editor-content"
            tabIndex={active ? 0 : -1}
            data-tab-id={tab.id}
            className={['tab', active ? 'is-active' : '', tab.dirty ? 'is-dirty' : ''].filter(Boolean).join(' ')}
            onClick={() => wb().activateTab(tab.id)}
            onAuxClick={(e) => {
              if (e.button === 1) wb().closeTab(tab.id);
            }}
            title={tab.title}
          >
            <Codicon name={tab.icon} className="tab__icon" />
            <span className="tab__label">{tab.title}</span>
            <button
              type="button"
              className="tab__close"
              aria-label={`Close ${tab.title} (${keybindingLabel('Mod+W')})`}
              title={`Close (${keybindingLabel('Mod+W')})`}
              tabIndex={-1}
              onClick={(e) => {
                e.stopPropagation();
                wb().closeTab(tab.id);
              }}
            >
              <Codicon name={tab.dirty ? 'circle-filled' : 'close'} className="tab__close-icon" />
            </button>
          </div>
        );
      })}
    </div>
  );
}
