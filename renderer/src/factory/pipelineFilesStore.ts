import { createStore } from 'zustand/vanilla';
import { reportError } from '../workbench/toastStore';
import { listPipelineFiles } from './factoryApi';
import type { PipelineFile } from './factoryTypes';

/** The workspace's saved pipeline files (pipelines.list), for the Factory side bar. */
export interface PipelineFilesStore {
  files: PipelineFile[];
  loaded: boolean;
  load(): Promise<void>;
}

export const pipelineFilesStore = createStore<PipelineFilesStore>()((set) => ({
  files: [],
  loaded: false,
  async load() {
    try {
      set({ files: await listPipelineFiles(), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Listing pipeline files');
    }
  },
}));
