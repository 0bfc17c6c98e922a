import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { SectionHeader } from '../components/SectionHeader';
import { useListKeys } from '../components/useListKeys';
import { workspaceStore } from './workspaceStore';

/** Every workspace under the Studio home; Enter or a click switches to it. */
export function WorkspaceList() {
  const list = useStore(workspaceStore, (s) => s.list);
  const currentName = useStore(workspaceStore, (s) => s.current?.name);
  const opening = useStore(workspaceStore, (s) => s.opening);
  const onKeyDown = useListKeys();

  return (
    <section aria-label="Workspaces">
      <SectionHeader title="Workspaces" count={list.length} />
      <ul className="list" role="listbox" aria-label="Workspaces" onKeyDown={onKeyDown}>
        {list.map((ws, i) => {
          const isCurrent = ws.name === currentName;
          // Our own core holds the open workspace's lock, so it lists as 'locked': that is this window.
          const usable = ws.status === 'ok' || isCurrent;
          return (
            <li
              key={ws.name}
              role="option"
              aria-selected={isCurrent}
              aria-disabled={!usable}
              data-list-item
              tabIndex={i === 0 ? 0 : -1}
              className={isCurrent ? 'list__item is-current' : 'list__item'}
              title={ws.statusDetail ?? ws.path}
              onClick={() => {
                if (!isCurrent && usable) void workspaceStore.getState().open(ws.name);
              }}
            >
              <Codicon
                name={opening === ws.name ? 'loading' : isCurrent ? 'folder-opened' : usable ? 'folder' : 'warning'}
                spin={opening === ws.name}
              />
              <span className="list__label">{ws.name}</span>
              {ws.isDemo ? <span className="tag">demo</span> : null}
              {!usable ? <span className="list__meta list__meta--warn">{ws.status}</span> : null}
              {isCurrent ? <span className="list__meta">open</span> : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
