import { lazy, Suspense, useEffect } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { baseDirOf, errorsOf, pipelineStore } from './pipelineStore';
import { PipelineSaveControl } from './PipelineSaveControl';
import { workbenchStore } from '../workbench/workbenchStore';
import { PipelineGraph } from './PipelineGraph';
import { NodeInspector } from './NodeInspector';
import { DevicePanel } from './DevicePanel';
import { PIPELINE_URI_PREFIX } from './pipelineLanguage';
import type { PipelineNode } from './factoryTypes';
import { openRun } from './factoryTabs';
import { runsStore } from './runsStore';

// Monaco is large: it loads after the graph has painted.
const PipelineYamlEditor = lazy(() => import('./PipelineYamlEditor').then((m) => ({ default: m.PipelineYamlEditor })));

/**
 * One pipeline: the graph and the node inspector on the left, the YAML on the right. Both are
 * views of the draft's text in pipelineStore, so an edit in either shows in the other at once.
 */
export function PipelineEditor({ input }: { input: { id: string } }) {
  const draft = useStore(pipelineStore, (s) => s.drafts[input.id]);
  // A saved pipeline's tab shows whether its text differs from the file.
  const dirty = draft?.file != null && draft.savedText !== draft.text;
  useEffect(() => {
    workbenchStore.getState().setDirty(`pipeline:${input.id}`, dirty);
  }, [input.id, dirty]);
  if (!draft) return <div className="pl-empty">This pipeline was closed; open it again from the Factory side bar.</div>;
  const s = pipelineStore.getState();
  const section = draft.value?.[draft.selected];
  const fileErrors = errorsOf(draft.errors, 'pipeline');
  const stale = draft.validatedText !== draft.text;
  return (
    <div className="pl-editor" data-testid="pipeline-editor">
      <div className="pl-editor__toolbar">
        <span className="pl-editor__name">{typeof draft.value?.name === 'string' ? draft.value.name : 'Unnamed pipeline'}</span>
        <span className={`pl-status${draft.errors.length ? ' pl-status--error' : ''}`} data-testid="pipeline-status" data-state={stale || draft.validating ? 'checking' : draft.errors.length ? 'invalid' : 'valid'}>
          {stale || draft.validating ? (
            <>
              <Codicon name="loading" /> Checking…
            </>
          ) : draft.errors.length ? (
            <>
              <Codicon name="error" /> {draft.errors.length} problem{draft.errors.length === 1 ? '' : 's'}
            </>
          ) : (
            <>
              <Codicon name="pass" /> Valid
            </>
          )}
        </span>
        <span className="spacer" />
        <PipelineSaveControl id={input.id} draft={draft} />
        <button
          className="button button--primary"
          disabled={stale || draft.validating || draft.errors.length > 0}
          onClick={() => void runsStore.getState().start(draft.text, baseDirOf(draft)).then((r) => r && openRun(r.id, r.name))}
          data-testid="pipeline-start"
        >
          <Codicon name="play" /> Start run
        </button>
      </div>
      {fileErrors.length ? (
        <div className="pl-file-errors" data-testid="pipeline-file-errors">
          {fileErrors.map((e, i) => (
            <div key={i}>
              {e.line !== undefined ? `Line ${e.line}: ` : ''}
              {e.field ? <code>{e.field}</code> : null} {e.message}
            </div>
          ))}
        </div>
      ) : null}
      <DevicePanel yaml={draft.text} baseDir={baseDirOf(draft)} valid={!stale && !draft.validating && draft.errors.length === 0} onBatch={(b) => s.setField(input.id, ['train', 'batch'], b)} />
      <div className="pl-editor__body">
        <div className="pl-editor__left">
          <div className="pl-graph" data-testid="pipeline-graph">
            <PipelineGraph
              value={draft.value}
              errors={draft.errors}
              selected={draft.selected}
              onSelect={(n: PipelineNode) => s.select(input.id, n)}
              onMove={(n, x, y) => s.setField(input.id, ['layout', n], { x, y })}
            />
          </div>
          <NodeInspector
            node={draft.selected}
            section={section !== null && typeof section === 'object' ? (section as Record<string, unknown>) : undefined}
            errors={errorsOf(draft.errors, draft.selected)}
            editable={draft.value !== null}
            datanet={datanetName(draft.value)}
            yaml={draft.text}
            baseDir={baseDirOf(draft)}
            onChange={(path, v) => s.setField(input.id, path, v)}
          />
        </div>
        <Suspense fallback={<div className="pl-yaml" />}>
          <PipelineYamlEditor text={draft.text} errors={draft.errors} onChange={(t) => s.setText(input.id, t)} path={`${PIPELINE_URI_PREFIX}${input.id}.pipeline.yaml`} />
        </Suspense>
      </div>
    </div>
  );
}

function datanetName(value: Record<string, unknown> | null): string | null {
  const d = value?.datanet;
  const name = d !== null && typeof d === 'object' ? (d as Record<string, unknown>).name : undefined;
  return typeof name === 'string' && name !== '' ? name : null;
}
