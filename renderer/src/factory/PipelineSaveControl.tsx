import { useEffect, useState } from 'react';
import { Codicon } from '../components/Codicon';
import { confirmStore } from '../workbench/confirmStore';
import { reportError, toastStore } from '../workbench/toastStore';
import { workbenchStore } from '../workbench/workbenchStore';
import { savePipelineFile } from './factoryApi';
import { pipelineFileTitle } from './factoryTabs';
import { pipelineFilesStore } from './pipelineFilesStore';
import { type PipelineDraft, pipelineStore } from './pipelineStore';

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** A file name from the pipeline's `name:` ("Demo fine-tune" -> "demo-fine-tune"). */
export function fileNameFor(name: unknown): string {
  const slug = typeof name === 'string' ? name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 100) : '';
  return slug || 'pipeline';
}

/**
 * Save as a named file in the workspace (pipelines/NAME.pipeline.yaml, the text as edited): the
 * file `studio train --config` runs. Saving under another file's name asks before replacing it.
 */
export function PipelineSaveControl({ id, draft }: { id: string; draft: PipelineDraft }) {
  const [name, setName] = useState(() => draft.file?.name ?? fileNameFor(draft.value?.name));
  const [saving, setSaving] = useState(false);
  const savedAs = draft.file?.name;
  useEffect(() => {
    if (savedAs) setName(savedAs);
  }, [savedAs]);
  const dirty = draft.savedText !== draft.text;
  const ok = FILE_NAME.test(name);

  const save = async () => {
    if (!ok || saving) return;
    const text = draft.text;
    setSaving(true);
    try {
      let file;
      try {
        file = await savePipelineFile(name, text, name === savedAs);
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'CONFLICT') throw err;
        const replace = await confirmStore.getState().ask({
          title: `Replace ${pipelineFileTitle(name)}?`,
          message: `The workspace already has a pipeline file named ${pipelineFileTitle(name)}. Saving replaces its text with this pipeline's.`,
          confirmLabel: 'Replace',
          danger: true,
        });
        if (!replace) return;
        file = await savePipelineFile(name, text, true);
      }
      pipelineStore.getState().saved(id, { name: file.name, path: file.path }, text);
      workbenchStore.getState().openTab({ id: `pipeline:${id}`, title: pipelineFileTitle(file.name), icon: 'type-hierarchy', input: { kind: 'pipeline', id } });
      toastStore.getState().show('info', `Saved ${file.path}`, `Run it headless: studio train --config ${file.path}`);
      void pipelineFilesStore.getState().load();
    } catch (err) {
      reportError(err, `Saving ${pipelineFileTitle(name)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="pl-save"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <input className={`input pl-save__name${ok ? '' : ' input--error'}`} value={name} onChange={(e) => setName(e.target.value)} aria-label="Pipeline file name" title={ok ? `Saved as pipelines/${pipelineFileTitle(name)} in the workspace` : 'Letters, digits, ".", "_" or "-", starting with a letter or digit'} spellCheck={false} data-testid="pipeline-file-name" />
      <span className="pl-muted">.pipeline.yaml</span>
      <button type="submit" className="button" disabled={!ok || saving || (!dirty && name === savedAs)} data-testid="pipeline-save">
        <Codicon name="save" /> {saving ? 'Saving…' : 'Save'}
      </button>
      {draft.file ? (
        <span className={`pl-save__state${dirty ? ' pl-save__state--dirty' : ''}`} title={draft.file.path} data-testid="pipeline-file-path" data-path={draft.file.path} data-dirty={dirty}>
          {dirty ? 'unsaved changes' : 'saved'}
        </span>
      ) : null}
    </form>
  );
}
