import { useRef } from 'react';
import { useStore } from 'zustand';
import { workbenchStore } from './workbenchStore';
import { ActivityBar } from './ActivityBar';
import { CommandPalette } from './palette/CommandPalette';
import { ConfirmDialog } from './ConfirmDialog';
import { contributions } from './contributions';
import { ConnectionBanner } from './ConnectionBanner';
import { EditorArea } from './EditorArea';
import { Panel } from './Panel';
import { Sash } from './Sash';
import { SideBar } from './SideBar';
import { StatusBar } from './StatusBar';
import { Toasts } from './Toasts';
import { useGlobalKeybindings } from './commands/useGlobalKeybindings';

/** The whole window: activity bar, side bar, editors over the panel, status bar. */
export function Workbench() {
  const layout = useStore(workbenchStore, (s) => s.layout);
  const main = useRef<HTMLDivElement>(null);
  useGlobalKeybindings();
  const wb = workbenchStore.getState;
  return (
    <div className="workbench">
      <ConnectionBanner />
      <div className="workbench__body">
        <ActivityBar />
        {layout.sideBarVisible ? (
          <>
            <div className="workbench__side" style={{ width: layout.sideBarWidth }}>
              <SideBar />
            </div>
            <Sash
              orientation="vertical"
              label="Resize side bar"
              value={layout.sideBarWidth}
              direction={1}
              onResize={(w) => wb().resizeSideBar(w, window.innerWidth)}
            />
          </>
        ) : null}
        <div
          ref={main}
          className="workbench__main"
          style={{ gridTemplateRows: layout.panelVisible ? `minmax(0, 1fr) 0 ${layout.panelHeight}px` : 'minmax(0, 1fr)' }}
        >
          <EditorArea />
          {layout.panelVisible ? (
            <>
              <Sash
                orientation="horizontal"
                label="Resize panel"
                value={layout.panelHeight}
                direction={-1}
                onResize={(h) => wb().resizePanel(h, main.current?.clientHeight ?? window.innerHeight)}
              />
              <Panel />
            </>
          ) : null}
        </div>
      </div>
      <StatusBar />
      <CommandPalette />
      <Toasts />
      <ConfirmDialog />
      {contributions.dialogs().map((Dialog, i) => (
        <Dialog key={i} />
      ))}
    </div>
  );
}
