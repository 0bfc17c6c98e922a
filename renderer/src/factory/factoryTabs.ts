import { workbenchStore } from '../workbench/workbenchStore';
import { readPipelineFile } from './factoryApi';
import { pipelineStore } from './pipelineStore';
import { reportError } from '../workbench/toastStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    pipeline: { id: string };
  }
}

let untitled = 0;

/** A saved pipeline's tab title. */
export function pipelineFileTitle(name: string): string {
  return `${name}.pipeline.yaml`;
}

/** A new pipeline tab (from the template, or from a file's text); each is its own draft. */
export function openNewPipeline(text?: string, title?: string): string {
  untitled += 1;
  const id = `pipeline-${Date.now().toString(36)}-${untitled}`;
  pipelineStore.getState().open(id, text);
  workbenchStore.getState().openTab({ id: `pipeline:${id}`, title: title ?? `Untitled pipeline ${untitled}`, icon: 'type-hierarchy', input: { kind: 'pipeline', id } });
  return id;
}

/** Opens a saved pipeline file (pipelines.read), or shows its tab when it is open already. */
export async function openPipelineFile(name: string): Promise<void> {
  const tabs = workbenchStore.getState().tabs.tabs;
  for (const [id, d] of Object.entries(pipelineStore.getState().drafts)) {
    if (d.file?.name !== name) continue;
    if (tabs.some((t) => t.id === `pipeline:${id}`)) {
      workbenchStore.getState().activateTab(`pipeline:${id}`);
      return;
    }
    // Its tab was closed: what it held unsaved went with it; the file is read afresh.
    pipelineStore.getState().close(id);
  }
  try {
    const f = await readPipelineFile(name);
    untitled += 1;
    const id = `pipeline-${Date.now().toString(36)}-${untitled}`;
    pipelineStore.getState().open(id, f.yaml, { name: f.name, path: f.path });
    workbenchStore.getState().openTab({ id: `pipeline:${id}`, title: pipelineFileTitle(f.name), icon: 'type-hierarchy', input: { kind: 'pipeline', id } });
  } catch (err) {
    reportError(err, `Opening ${pipelineFileTitle(name)}`);
  }
}

declare module '../workbench/tabs' {
  interface TabInputs {
    run: { id: string };
    runsCompare: { ids: string[] };
  }
}

export function openRun(id: string, name?: string): void {
  workbenchStore.getState().openTab({ id: `run:${id}`, title: name ?? `Run ${id}`, icon: 'pulse', input: { kind: 'run', id } });
}

/** One comparison tab: picking other runs replaces what it compares. */
export function openComparison(ids: string[]): void {
  workbenchStore.getState().openTab({ id: 'runs-compare', title: `Compare ${ids.length} runs`, icon: 'git-compare', input: { kind: 'runsCompare', ids } });
}

declare module '../workbench/tabs' {
  interface TabInputs {
    factoryAdapter: { name: string };
  }
}

/** An adapter's page: its lineage, metrics and on-chain record. */
export function openAdapter(name: string): void {
  workbenchStore.getState().openTab({ id: `factory-adapter:${name}`, title: name, icon: 'package', input: { kind: 'factoryAdapter', name } });
}
