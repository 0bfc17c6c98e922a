import { workbenchStore } from '../workbench/workbenchStore';
import { pipelineStore } from './pipelineStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    pipeline: { id: string };
  }
}

let untitled = 0;

/** A new pipeline tab (from the template, or from a file's text); each is its own draft. */
export function openNewPipeline(text?: string, title?: string): string {
  untitled += 1;
  const id = `pipeline-${Date.now().toString(36)}-${untitled}`;
  pipelineStore.getState().open(id, text);
  workbenchStore.getState().openTab({ id: `pipeline:${id}`, title: title ?? `Untitled pipeline ${untitled}`, icon: 'type-hierarchy', input: { kind: 'pipeline', id } });
  return id;
}
