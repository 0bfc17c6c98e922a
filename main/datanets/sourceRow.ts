/**
 * One row read from a source, before mapping: its fields, or why it could not be read.
 * `line` is 1-based (JSONL/CSV/text lines; Parquet: the row's 1-based index in the file).
 */
export type SourceRow = { line: number; file?: string; rowGroup?: number; row?: number } & ({ fields: Record<string, unknown> } | { error: string });

export interface ReadOptions {
  signal: AbortSignal;
  /** Bytes (or rows, for Parquet) consumed so far out of the total, for progress. */
  onProgress?: (done: number, total: number) => void;
}
