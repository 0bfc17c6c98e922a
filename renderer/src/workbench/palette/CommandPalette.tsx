import { Command } from 'cmdk';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { commands } from '../commands/registry';
import { commandLabel } from '../commands/commandRegistry';
import { reportError } from '../toastStore';
import { workbenchStore } from '../workbenchStore';
import { workspaceStore } from '../../workspace/workspaceStore';
import { Codicon } from '../../components/Codicon';
import { Keybinding } from '../../components/Keybinding';

/**
 * The quick pick (Ctrl/Cmd+Shift+P): every enabled command of the registry, or, for "Switch
 * Workspace…", the workspaces. Arrow keys move, Enter runs, Escape closes and gives focus back.
 */
export function CommandPalette() {
  const mode = useStore(workbenchStore, (s) => s.palette);
  const [search, setSearch] = useState('');
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (mode) {
      returnFocus.current = document.activeElement as HTMLElement | null;
      setSearch('');
    }
  }, [mode]);

  if (!mode) return null;

  const close = () => {
    workbenchStore.getState().closePalette();
    const el = returnFocus.current;
    if (el && el !== document.body) requestAnimationFrame(() => el.focus());
  };

  return (
    <div className="palette-backdrop" onMouseDown={close}>
      <div className="palette" role="dialog" aria-modal="true" aria-label={mode === 'commands' ? 'Command palette' : 'Switch workspace'} onMouseDown={(e) => e.stopPropagation()}>
        <Command
          label={mode === 'commands' ? 'Commands' : 'Workspaces'}
          loop
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              e.stopPropagation();
              close();
            }
          }}
        >
          <Command.Input
            autoFocus
            className="palette__input"
            value={search}
            onValueChange={setSearch}
            placeholder={mode === 'commands' ? 'Type the name of a command to run' : 'Select a workspace to open'}
          />
          <Command.List className="palette__list">
            <Command.Empty className="palette__empty">{mode === 'commands' ? 'No matching commands' : 'No matching workspaces'}</Command.Empty>
            {mode === 'commands' ? <CommandItems onDone={close} /> : <WorkspaceItems onDone={close} />}
          </Command.List>
        </Command>
      </div>
    </div>
  );
}

function CommandItems({ onDone }: { onDone: () => void }) {
  const list = useMemo(() => commands.available(), []);
  return (
    <>
      {list.map((c) => (
        <Command.Item
          key={c.id}
          value={c.id}
          keywords={[commandLabel(c), c.category, c.title]}
          className="palette__item"
          data-command-id={c.id}
          onSelect={() => {
            onDone();
            // Run after the palette has given focus back, so commands that focus something win.
            setTimeout(() => commands.run(c.id).catch((err: unknown) => reportError(err, c.title)), 0);
          }}
        >
          <Codicon name={c.icon ?? 'blank'} className="palette__icon" />
          <span className="palette__label">
            <span className="palette__category">{c.category}: </span>
            {c.title}
          </span>
          {c.keybinding ? <Keybinding binding={c.keybinding} /> : null}
        </Command.Item>
      ))}
    </>
  );
}

function WorkspaceItems({ onDone }: { onDone: () => void }) {
  const list = useStore(workspaceStore, (s) => s.list);
  const current = useStore(workspaceStore, (s) => s.current?.name);
  return (
    <>
      {list.map((ws) => (
        <Command.Item
          key={ws.name}
          value={ws.name}
          disabled={ws.status !== 'ok'}
          className="palette__item"
          onSelect={() => {
            onDone();
            if (ws.name !== current) void workspaceStore.getState().open(ws.name);
          }}
        >
          <Codicon name={ws.name === current ? 'folder-opened' : 'folder'} className="palette__icon" />
          <span className="palette__label">
            {ws.name}
            {ws.isDemo ? <span className="palette__category"> · demo</span> : null}
          </span>
          <span className="palette__detail">{ws.name === current ? 'open' : ws.status === 'ok' ? ws.path : (ws.statusDetail ?? ws.status)}</span>
        </Command.Item>
      ))}
    </>
  );
}
