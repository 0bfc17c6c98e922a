import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import type { ImportFormat } from '../api/datanetSchemas';
import { readCsvRows } from './readCsvRows';
import { readJsonlRows } from './readJsonlRows';
import { readParquetRows } from './readParquetRows';
import { listTextFiles, readTextRows } from './readTextRows';
import type { ReadOptions, SourceRow } from './sourceRow';

const BY_EXTENSION: Record<string, ImportFormat> = { '.jsonl': 'jsonl', '.ndjson': 'jsonl', '.csv': 'csv', '.tsv': 'tsv', '.parquet': 'parquet', '.txt': 'text', '.md': 'text', '.markdown': 'text' };

/** What an import reads: one file, or a folder of shards (Hugging Face layout) or of text files. */
export interface ImportSource {
  format: ImportFormat;
  /** The files in read order; one entry for a single file. */
  files: string[];
  /** Shards are named relative to this folder in reports and generated ids. */
  base: string;
  isFolder: boolean;
}

/**
 * Decides format and files. A folder with .parquet or .jsonl files anywhere below it (data/,
 * train-00000-of-00002.parquet, …) is a dataset of shards, read in sorted path order; a folder of
 * .txt/.md files is text. An explicit format must agree with what is there.
 */
export function resolveImportSource(p: string, format?: ImportFormat): ImportSource {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new StudioError(ErrorCode.NotFound, `Cannot read ${p}: no such file or folder.`, { file: p });
  }
  if (stat.isFile()) {
    const guessed = BY_EXTENSION[path.extname(p).toLowerCase()];
    const f = format ?? guessed;
    if (!f) throw new StudioError(ErrorCode.InvalidRequest, `Cannot tell the format of ${p} from its extension; pass a format (jsonl, csv, tsv, parquet, text).`, { file: p });
    return { format: f, files: [p], base: path.dirname(p), isFolder: false };
  }
  if (!stat.isDirectory()) throw new StudioError(ErrorCode.InvalidRequest, `${p} is neither a file nor a folder.`, { file: p });
  const all: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) all.push(full);
    }
  };
  walk(p);
  all.sort();
  const of = (f: ImportFormat) => all.filter((x) => BY_EXTENSION[path.extname(x).toLowerCase()] === f);
  const order: ImportFormat[] = format ? [format] : ['parquet', 'jsonl', 'csv', 'tsv', 'text'];
  for (const f of order) {
    const files = f === 'text' ? listTextFiles(p) : of(f);
    if (files.length > 0) return { format: f, files, base: p, isFolder: true };
  }
  throw new StudioError(ErrorCode.InvalidRequest, `${p} holds no ${format ?? 'Parquet, JSONL, CSV, TSV, text or Markdown'} files.`, { file: p });
}

/** Every row of the source, in order, with errors in place of unreadable rows. */
export async function* readSourceRows(src: ImportSource, split: 'file' | 'paragraph', opts: ReadOptions): AsyncGenerator<SourceRow> {
  if (src.format === 'text') {
    // The text reader walks the folder itself so paragraph ids carry the relative path.
    yield* readTextRows(src.isFolder ? src.base : src.files[0]!, split, opts);
    return;
  }
  for (let i = 0; i < src.files.length; i++) {
    const file = src.files[i]!;
    const display = path.relative(src.base, file).split(path.sep).join('/');
    const perFile: ReadOptions = { signal: opts.signal, onProgress: (done, total) => opts.onProgress?.(i + (total ? done / total : 0), src.files.length) };
    if (src.format === 'jsonl') yield* readJsonlRows(file, perFile, display);
    else if (src.format === 'csv') yield* readCsvRows(file, ',', perFile, display);
    else if (src.format === 'tsv') yield* readCsvRows(file, '\t', perFile, display);
    else yield* readParquetRows(file, perFile, display);
  }
}
