import { resolveImportSource, readSourceRows } from './readSourceRows';
import type { ImportFormat } from '../api/datanetSchemas';

/**
 * The first rows of a source for the field-mapping step: its format, files, the field names
 * seen, and up to `limit` rows (errors included, as an import would report them).
 */
export async function previewSource(p: string, format: ImportFormat | undefined, split: 'file' | 'paragraph', limit: number) {
  const src = resolveImportSource(p, format);
  const controller = new AbortController();
  const rows: { line: number; file?: string; fields?: Record<string, unknown>; error?: string }[] = [];
  const fields = new Set<string>();
  for await (const row of readSourceRows(src, split, { signal: controller.signal })) {
    if ('fields' in row) {
      Object.keys(row.fields).forEach((k) => fields.add(k));
      // A preview is for reading field names and a glimpse of values: long values are cut.
      rows.push({ ...row, fields: Object.fromEntries(Object.entries(row.fields).map(([k, v]) => [k, typeof v === 'string' && v.length > 2000 ? `${v.slice(0, 2000)}…` : v])) });
    } else rows.push(row);
    if (rows.length >= limit) break;
  }
  controller.abort();
  return { format: src.format, files: src.files.length, fields: [...fields], rows };
}
