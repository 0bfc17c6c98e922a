import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { commands } from '../workbench/commands/registry';
import { Codicon } from '../components/Codicon';
import { keybindingLabel } from '../components/Keybinding';
import { monacoThemeFor } from '../workbench/theming/theme';
import { registerSettingsSchema, SETTINGS_MODEL_URI } from '../monaco/jsonSchemas';
import { type Monaco, setupMonaco } from '../monaco/setupMonaco';
import { isSettingsDirty, settingsStore } from './settingsStore';
import { themeStore } from '../workbench/theming/themeStore';
import { workbenchStore } from '../workbench/workbenchStore';
import { workspaceStore } from './workspaceStore';

setupMonaco();

type CodeEditor = Parameters<OnMount>[0];
const MARKER_OWNER = 'studio-core';

/**
 * The workspace settings as JSON in Monaco: the core's JSON schema drives completion and
 * diagnostics as you type; Ctrl+S sends the text to settings.update, and what the core rejects
 * is underlined on the line it names and listed above the editor.
 */
export function SettingsEditor({ tabId }: { tabId: string }) {
  const s = useStore(settingsStore);
  const theme = useStore(themeStore, (t) => t.theme);
  const workspace = useStore(workspaceStore, (w) => w.current?.name);
  const editorRef = useRef<CodeEditor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const dirty = isSettingsDirty(s);

  useEffect(() => {
    workbenchStore.getState().setDirty(tabId, dirty);
  }, [tabId, dirty]);

  useEffect(() => {
    if (s.jsonSchema) registerSettingsSchema(s.jsonSchema);
  }, [s.jsonSchema]);

  useEffect(() => {
    const editor = editorRef.current;
    const monaco = monacoRef.current;
    const model = editor?.getModel();
    if (!editor || !monaco || !model) return;
    monaco.editor.setModelMarkers(
      model,
      MARKER_OWNER,
      s.markers.map((m) => {
        const line = Math.min(Math.max(1, m.line), model.getLineCount());
        return {
          severity: monaco.MarkerSeverity.Error,
          message: m.message,
          startLineNumber: line,
          startColumn: m.column,
          endLineNumber: line,
          endColumn: model.getLineMaxColumn(line),
          source: 'Studio core',
        };
      }),
    );
  }, [s.markers]);

  const onMount: OnMount = (editor, monaco) => {
    editorRef.current = editor;
    monacoRef.current = monaco;
    editor.focus();
  };

  const reveal = (line: number, column: number) => {
    const editor = editorRef.current;
    if (!editor) return;
    editor.revealLineInCenter(line);
    editor.setPosition({ lineNumber: line, column });
    editor.focus();
  };

  return (
    <div className="settings-editor" data-testid="settings-editor">
      <div className="editor-toolbar">
        <span className="editor-toolbar__title">
          <Codicon name="settings-gear" /> Workspace settings
          {workspace ? <span className="muted"> · {workspace}</span> : null}
        </span>
        <span className="editor-toolbar__state" aria-live="polite">
          {s.saving ? 'Saving…' : dirty ? 'Unsaved changes' : s.loaded ? 'Saved' : 'Loading…'}
        </span>
        <button type="button" className="button button--small button--secondary" disabled={!dirty || s.saving} onClick={() => void commands.run('settings.revert')}>
          Revert
        </button>
        <button
          type="button"
          className="button button--small"
          disabled={s.saving || !s.loaded}
          title={`Save (${keybindingLabel('Mod+S')})`}
          onClick={() => void settingsStore.getState().save()}
        >
          Save
        </button>
      </div>
      {s.markers.length > 0 ? (
        <div className="problems" role="alert" data-testid="settings-errors">
          <div className="problems__title">
            <Codicon name="error" /> The core did not accept these settings; nothing was saved.
          </div>
          <ul>
            {s.markers.map((m, i) => (
              <li key={i}>
                {m.placed ? (
                  <>
                    <button type="button" className="link-button" onClick={() => reveal(m.line, m.column)}>
                      Line {m.line}, column {m.column}
                    </button>
                    {': '}
                  </>
                ) : null}
                {m.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="settings-editor__monaco">
        {s.loaded ? (
          <Editor
            path={SETTINGS_MODEL_URI}
            language="json"
            value={s.draft}
            theme={monacoThemeFor(theme)}
            onChange={(text) => settingsStore.getState().setDraft(text ?? '')}
            onMount={onMount}
            loading={<div className="progress-line" role="progressbar" aria-label="Loading editor" />}
            options={{
              fontSize: s.settings?.editor.fontSize ?? 13,
              wordWrap: s.settings?.editor.wordWrap ?? 'off',
              minimap: { enabled: false },
              scrollBeyondLastLine: false,
              automaticLayout: true,
              tabSize: 2,
              renderLineHighlight: 'line',
              fixedOverflowWidgets: true,
            }}
          />
        ) : (
          <div className="progress-line" role="progressbar" aria-label="Loading settings" />
        )}
      </div>
    </div>
  );
}
