// Pipeline files saved from the workbench, in <workspace>/pipelines/NAME.pipeline.yaml: the text
// exactly as edited (comments, key order and graph layout kept), the same file `studio train
// --config` runs. A save writes a temporary file and renames it over the old one, so a crash
// leaves either the old text or the new, never half of one.
import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import type { PipelineFile } from '../api/pipelineSchemas';

export const PIPELINE_FILE_SUFFIX = '.pipeline.yaml';

function fileOf(dir: string, name: string): string {
  return path.join(dir, `${name}${PIPELINE_FILE_SUFFIX}`);
}

function describe(dir: string, name: string): PipelineFile {
  const file = fileOf(dir, name);
  return { name, path: file, updatedAt: fs.statSync(file).mtime.toISOString() };
}

export function listPipelineFiles(dir: string): PipelineFile[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(PIPELINE_FILE_SUFFIX) && !f.startsWith('.'))
    .map((f) => describe(dir, f.slice(0, -PIPELINE_FILE_SUFFIX.length)))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.name.localeCompare(b.name));
}

export function readPipelineFile(dir: string, name: string): PipelineFile & { yaml: string } {
  const file = fileOf(dir, name);
  if (!fs.existsSync(file)) throw new StudioError(ErrorCode.NotFound, `No pipeline file ${name}${PIPELINE_FILE_SUFFIX} in ${dir}.`, { name });
  return { ...describe(dir, name), yaml: fs.readFileSync(file, 'utf8') };
}

export function savePipelineFile(dir: string, name: string, yaml: string, overwrite: boolean): PipelineFile {
  const file = fileOf(dir, name);
  if (!overwrite && fs.existsSync(file)) throw new StudioError(ErrorCode.Conflict, `${name}${PIPELINE_FILE_SUFFIX} already exists; save over it or pick another name.`, { name, path: file });
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${name}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, yaml, { flush: true });
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return describe(dir, name);
}
