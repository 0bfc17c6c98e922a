import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { ErrorCode, StudioError } from '../api/apiError';
import type { ReadOptions, SourceRow } from './sourceRow';

/**
 * Parquet through hyparquet, one row group at a time (memory bounded by the largest group). A
 * row group that cannot be decoded is reported once, at its first row, and skipped; the others
 * are kept. BigInt values become numbers when exact, else decimal strings.
 */
export async function* readParquetRows(file: string, opts: ReadOptions, display = file): AsyncGenerator<SourceRow> {
  const buffer = await asyncBufferFromFile(file);
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw new StudioError(ErrorCode.InvalidRequest, `${display} is not a readable Parquet file: ${(err as Error).message}`, { file: display });
  }
  const total = Number(metadata.num_rows);
  let rowStart = 0;
  for (let g = 0; g < metadata.row_groups.length; g++) {
    if (opts.signal.aborted) return;
    const groupRows = Number(metadata.row_groups[g]!.num_rows);
    const rowEnd = rowStart + groupRows;
    let rows: Record<string, unknown>[] | null = null;
    let failure = '';
    try {
      rows = (await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd })) as Record<string, unknown>[];
    } catch (err) {
      failure = (err as Error).message;
    }
    if (!rows) {
      yield { line: rowStart + 1, file: display, rowGroup: g, row: 0, error: `row group ${g} (rows ${rowStart + 1}-${rowEnd}) cannot be read: ${failure}` };
    } else {
      for (let i = 0; i < rows.length; i++) yield { line: rowStart + i + 1, file: display, rowGroup: g, row: i, fields: plain(rows[i]!) };
    }
    rowStart = rowEnd;
    opts.onProgress?.(rowStart, total);
  }
}

function plain(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'bigint' ? (Number.isSafeInteger(Number(v)) ? Number(v) : v.toString()) : v;
  return out;
}
