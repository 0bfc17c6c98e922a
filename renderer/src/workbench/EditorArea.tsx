import { lazy, Suspense } from 'react';
import { useStore } from 'zustand';
import { activeTab } from './tabs';
import { workbenchStore } from './workbenchStore';
import { ArtifactEditor } from '../artifacts/ArtifactEditor';
import { CapabilityEditor } from './CapabilityEditor';
import { ChainEditor } from '../chain/ChainEditor';
import { WelcomeEditor } from '../workspace/WelcomeEditor';
import { EditorWatermark } from './EditorWatermark';
import { TabStrip } from './TabStrip';

// Monaco is large: it loads with the first settings tab, not with the workbench.
const SettingsEditor = lazy(() => import('../workspace/SettingsEditor').then((m) => ({ default: m.SettingsEditor })));

/** Tabs over the active editor; with no tab open, the keyboard hints VS Code shows. */
export function EditorArea() {
  const tabs = useStore(workbenchStore, (s) => s.tabs);
  const tab = activeTab(tabs);
  return (
    <main className="editor-area" aria-label="Editors">
      {tabs.tabs.length > 0 ? <TabStrip /> : null}
      <div id="editor-content" className="editor-area__content" role={tab ? 'tabpanel' : undefined} aria-labelledby={tab ? `tab-${tab.id}` : undefined}>
        {!tab ? (
          <EditorWatermark />
        ) : tab.input.kind === 'welcome' ? (
          <WelcomeEditor />
        ) : tab.input.kind === 'settings' ? (
          <Suspense fallback={<div className="progress-line" role="progressbar" aria-label="Loading editor" />}>
            <SettingsEditor tabId={tab.id} />
          </Suspense>
        ) : tab.input.kind === 'artifact' ? (
          <ArtifactEditor key={tab.id} sha256={tab.input.sha256} />
        ) : tab.input.kind === 'chain' ? (
          <ChainEditor key={tab.id} view={tab.input.view} />
        ) : (
          <CapabilityEditor activity={tab.input.activity} />
        )}
      </div>
    </main>
  );
}
