import { api } from '../api/client';
import type { FactoryFormatPreview, FactoryValidateResult, PipelineFile } from './factoryTypes';

/** The core's checks of a pipeline text (schema, model, datanet): every problem on its node.
 * baseDir: the saved file's folder, for a relative model.base (as `studio train --config` reads it). */
export function validatePipeline(yaml: string, baseDir?: string): Promise<FactoryValidateResult> {
  return api().call('factory.validate', baseDir ? { yaml, baseDir } : { yaml });
}

/** The format node's records, formatted and tokenized by the core as a run trains them. */
export function previewFormat(yaml: string, baseDir?: string): Promise<FactoryFormatPreview> {
  return api().call('factory.formatPreview', baseDir ? { yaml, baseDir, limit: 3 } : { yaml, limit: 3 });
}

export function listPipelineFiles(): Promise<PipelineFile[]> {
  return api().call('pipelines.list', {});
}

export function readPipelineFile(name: string): Promise<PipelineFile & { yaml: string }> {
  return api().call('pipelines.read', { name });
}

export function savePipelineFile(name: string, yaml: string, overwrite: boolean): Promise<PipelineFile> {
  return api().call('pipelines.save', { name, yaml, overwrite });
}

/** The folder of a saved file's path (either separator: the core may run on Windows). */
export function folderOf(file: string): string {
  const cut = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return cut <= 0 ? file : file.slice(0, cut);
}
