import Editor, { type OnMount } from '@monaco-editor/react';
import 'monaco-editor/languages/definitions/yaml/register';
import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { type Monaco, setupMonaco } from '../monaco/setupMonaco';
import { monacoThemeFor } from '../workbench/theming/theme';
import { themeStore } from '../workbench/theming/themeStore';
import type { PipelineError } from './factoryTypes';
import { registerPipelineLanguage } from './pipelineLanguage';
import { pipelineIssues } from './pipelineMarkers';

setupMonaco();

type CodeEditor = Parameters<OnMount>[0];

/** The pipeline file in Monaco, with the YAML's and the core's errors as markers. */
export function PipelineYamlEditor({ text, errors, onChange, path }: { text: string; errors: readonly PipelineError[]; onChange(text: string): void; path: string }) {
  const theme = useStore(themeStore, (t) => t.theme);
  const ref = useRef<{ editor: CodeEditor; monaco: Monaco } | null>(null);

  const mark = () => {
    const m = ref.current;
    const model = m?.editor.getModel();
    if (!m || !model) return;
    const markers = pipelineIssues(model.getValue(), errors).map((i) => ({
      severity: m.monaco.MarkerSeverity.Error,
      message: i.message,
      startLineNumber: i.line,
      startColumn: i.column,
      endLineNumber: i.endLine,
      endColumn: i.endColumn,
    }));
    m.monaco.editor.setModelMarkers(model, 'pipeline', markers);
  };
  // mark reads the model and the latest errors: run it again when either changes.
  useEffect(mark, [text, errors]);

  return (
    <div className="pl-yaml" data-testid="pipeline-yaml" data-markers={pipelineIssues(text, errors).length}>
      <Editor
        height="100%"
        language="yaml"
        path={path}
        theme={monacoThemeFor(theme)}
        value={text}
        onChange={(v) => onChange(v ?? '')}
        onMount={(editor, monaco) => {
          ref.current = { editor, monaco: monaco as Monaco };
          registerPipelineLanguage(monaco as Monaco);
          mark();
        }}
        options={{ minimap: { enabled: false }, fontSize: 12, lineNumbersMinChars: 3, scrollBeyondLastLine: false, tabSize: 2, renderLineHighlight: 'none', automaticLayout: true }}
      />
    </div>
  );
}
