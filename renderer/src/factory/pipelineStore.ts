import { createStore } from 'zustand/vanilla';
import { folderOf, validatePipeline } from './factoryApi';
import type { PipelineError, PipelineFile, PipelineNode } from './factoryTypes';
import { NEW_PIPELINE } from './pipelineNodes';
import { type PipelinePath, parsePipeline, setInPipeline } from './pipelineYaml';

/** One open pipeline: its YAML text (the one source of truth) and what the core said about it. */
export interface PipelineDraft {
  text: string;
  /** The parsed value of `text` (null while it does not parse). */
  value: Record<string, unknown> | null;
  /** The core's answer for `validatedText` (factory.validate): errors on nodes and fields. */
  errors: PipelineError[];
  validatedText: string | null;
  validating: boolean;
  /** The node the inspector shows. */
  selected: PipelineNode;
  /** The workspace file it was opened from or saved as (pipelines.save); null until saved. */
  file: Pick<PipelineFile, 'name' | 'path'> | null;
  /** The text as last saved or opened (the tab is dirty while `text` differs). */
  savedText: string | null;
}

/** Where a relative model.base resolves: beside the saved file, as `studio train --config` reads it. */
export function baseDirOf(d: Pick<PipelineDraft, 'file'>): string | undefined {
  return d.file ? folderOf(d.file.path) : undefined;
}

export interface PipelineStore {
  drafts: Record<string, PipelineDraft>;
  open(id: string, text?: string, file?: PipelineDraft['file']): void;
  /** The draft's text was written to `file`. */
  saved(id: string, file: NonNullable<PipelineDraft['file']>, text: string): void;
  setText(id: string, text: string): void;
  setField(id: string, path: PipelinePath, value: unknown): void;
  select(id: string, node: PipelineNode): void;
  /** Forgets a draft (its tab was closed and its file is opened afresh). */
  close(id: string): void;
}

// Validation runs on the core (the renderer carries no schema code): debounced so typing in
// Monaco sends one request per pause, and answers for a stale text are dropped.
const VALIDATE_DELAY_MS = 250;
const timers = new Map<string, ReturnType<typeof setTimeout>>();

export const pipelineStore = createStore<PipelineStore>()((set, get) => {
  const patch = (id: string, p: Partial<PipelineDraft>) => {
    const d = get().drafts[id];
    if (d) set({ drafts: { ...get().drafts, [id]: { ...d, ...p } } });
  };
  const schedule = (id: string) => {
    clearTimeout(timers.get(id));
    timers.set(
      id,
      setTimeout(() => {
        const d = get().drafts[id];
        if (!d) return;
        const text = d.text;
        patch(id, { validating: true });
        validatePipeline(text, baseDirOf(d))
          .then((r) => {
            if (get().drafts[id]?.text === text) patch(id, { errors: r.errors, validatedText: text, validating: false });
          })
          .catch((err: unknown) => {
            if (get().drafts[id]?.text === text) patch(id, { errors: [{ node: 'pipeline', field: '', message: `Could not validate: ${err instanceof Error ? err.message : String(err)}` }], validatedText: text, validating: false });
          });
      }, VALIDATE_DELAY_MS),
    );
  };
  return {
    drafts: {},
    open(id, text = NEW_PIPELINE, file = null) {
      if (get().drafts[id]) return;
      set({ drafts: { ...get().drafts, [id]: { text, value: parsePipeline(text).value, errors: [], validatedText: null, validating: false, selected: 'datanet', file, savedText: file ? text : null } } });
      schedule(id);
    },
    saved(id, file, text) {
      const d = get().drafts[id];
      patch(id, { file, savedText: text });
      // Saved somewhere else: a relative model.base may now resolve differently.
      if (d && d.file?.path !== file.path) schedule(id);
    },
    setText(id, text) {
      const d = get().drafts[id];
      if (!d || d.text === text) return;
      patch(id, { text, value: parsePipeline(text).value ?? d.value });
      schedule(id);
    },
    setField(id, path, value) {
      const d = get().drafts[id];
      if (d) get().setText(id, setInPipeline(d.text, path, value));
    },
    select: (id, selected) => patch(id, { selected }),
    close(id) {
      clearTimeout(timers.get(id));
      const { [id]: _closed, ...rest } = get().drafts;
      set({ drafts: rest });
    },
  };
});

/** The errors that belong to one node (what the graph outlines in red). */
export function errorsOf(errors: readonly PipelineError[], node: PipelineNode | 'pipeline'): PipelineError[] {
  return errors.filter((e) => e.node === node);
}
