import { type KeyboardEvent, useRef } from 'react';
import { useStore } from 'zustand';
import { commands } from './commands/registry';
import { contributions } from './contributions';
import { workbenchStore } from './workbenchStore';
import { Codicon } from '../components/Codicon';
import { keybindingLabel } from '../components/Keybinding';

/** The far-left strip: one button per activity, settings at the bottom. Arrow keys move focus. */
export function ActivityBar() {
  const layout = useStore(workbenchStore, (s) => s.layout);
  const ref = useRef<HTMLElement>(null);

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp' && e.key !== 'Home' && e.key !== 'End') return;
    const buttons = [...(ref.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next =
      e.key === 'Home' ? 0 : e.key === 'End' ? buttons.length - 1 : (index + (e.key === 'ArrowDown' ? 1 : -1) + buttons.length) % buttons.length;
    buttons[next]?.focus();
    e.preventDefault();
  };

  return (
    <nav className="activity-bar" aria-label="Activities" ref={ref} onKeyDown={onKeyDown}>
      <div className="activity-bar__top" role="tablist" aria-orientation="vertical">
        {contributions.activities().map((meta) => {
          const id = meta.id;
          const active = layout.sideBarVisible && layout.activity === id;
          return (
            <button
              key={id}
              type="button"
              role="tab"
              aria-selected={active}
              data-activity={id}
              className={active ? 'activity-bar__item is-active' : 'activity-bar__item'}
              title={`${meta.title} (${keybindingLabel(meta.keybinding)})`}
              aria-label={meta.title}
              tabIndex={layout.activity === id ? 0 : -1}
              onClick={() => workbenchStore.getState().toggleActivity(id)}
            >
              <Codicon name={meta.icon} />
            </button>
          );
        })}
      </div>
      <div className="activity-bar__bottom">
        <button
          type="button"
          className="activity-bar__item"
          title={`Workspace Settings (${keybindingLabel('Mod+,')})`}
          aria-label="Workspace Settings"
          data-activity="settings"
          tabIndex={-1}
          onClick={() => void commands.run('settings.open')}
        >
          <Codicon name="settings-gear" />
        </button>
      </div>
    </nav>
  );
}
