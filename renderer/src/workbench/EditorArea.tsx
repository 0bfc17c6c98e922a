import { useStore } from 'zustand';
import { contributions } from './contributions';
import { activeTab } from './tabs';
import { workbenchStore } from './workbenchStore';
import { EditorWatermark } from './EditorWatermark';
import { TabStrip } from './TabStrip';

/** Tabs over the active editor (each kind's editor as its domain registered it); with no tab open, the keyboard hints VS Code shows. */
export function EditorArea() {
  const tabs = useStore(workbenchStore, (s) => s.tabs);
  const tab = activeTab(tabs);
  return (
    <main className="editor-area" aria-label="Editors">
      {tabs.tabs.length > 0 ? <TabStrip /> : null}
      <div id="editor-content" className="editor-area__content" role={tab ? 'tabpanel' : undefined} aria-labelledby={tab ? `tab-${tab.id}` : undefined}>
        {tab ? contributions.editorFor(tab.input.kind)?.render(tab.input, tab.id) : <EditorWatermark />}
      </div>
    </main>
  );
}
