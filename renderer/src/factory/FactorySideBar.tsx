import { useEffect } from 'react';
import { useStore } from 'zustand';
import { IconButton } from '../components/IconButton';
import { ViewHeader } from '../components/ViewHeader';
import { workbenchStore } from '../workbench/workbenchStore';
import { pipelineStore } from './pipelineStore';
import { openNewPipeline, openPipelineFile, pipelineFileTitle } from './factoryTabs';
import { pipelineFilesStore } from './pipelineFilesStore';
import { RunsList } from './RunsList';
import { runsStore } from './runsStore';

/** Pipelines open in this window, and the way to a new one. */
export function FactorySideBar() {
  const drafts = useStore(pipelineStore, (s) => s.drafts);
  const tabs = useStore(workbenchStore, (s) => s.tabs);
  const loaded = useStore(runsStore, (s) => s.loaded);
  const files = useStore(pipelineFilesStore);
  useEffect(() => {
    if (!loaded) void runsStore.getState().load();
  }, [loaded]);
  useEffect(() => {
    if (!files.loaded) void files.load();
  }, [files]);
  return (
    <div className="view">
      <ViewHeader title="Factory">
        <IconButton icon="add" label="New Pipeline" onClick={() => openNewPipeline()} />
        <IconButton
          icon="refresh"
          label="Refresh Runs and Pipeline Files"
          onClick={() => {
            void runsStore.getState().load();
            void pipelineFilesStore.getState().load();
          }}
        />
      </ViewHeader>
      <div className="view__body">
        <button type="button" className="button button--primary" onClick={() => openNewPipeline()} data-testid="factory-new-pipeline">
          New Pipeline
        </button>
        <h3 className="pl-side__heading">Pipeline files</h3>
        {files.loaded && files.files.length === 0 ? <p className="pl-muted">None saved yet: Save in a pipeline's toolbar writes one to the workspace.</p> : null}
        <ul className="list" aria-label="Pipeline files" data-testid="pipeline-files">
          {files.files.map((f) => (
            <li key={f.name} className="list__item" title={f.path}>
              <button type="button" className="link-button" onClick={() => void openPipelineFile(f.name)} data-testid={`pipeline-file-${f.name}`}>
                {pipelineFileTitle(f.name)}
              </button>
            </li>
          ))}
        </ul>
        <h3 className="pl-side__heading">Open pipelines</h3>
        <ul className="list" aria-label="Pipelines">
          {Object.entries(drafts).map(([id, d]) => {
            const tab = tabs.tabs.find((t) => t.id === `pipeline:${id}`);
            return (
              <li key={id} className="list__item" onClick={() => tab && workbenchStore.getState().activateTab(tab.id)}>
                {typeof d.value?.name === 'string' ? d.value.name : (tab?.title ?? id)}
                {d.errors.length ? <span className="pl-muted"> · {d.errors.length} problems</span> : null}
              </li>
            );
          })}
        </ul>
        <RunsList />
      </div>
    </div>
  );
}
