import fs from 'node:fs';
import { parse } from 'csv-parse';
import type { ReadOptions, SourceRow } from './sourceRow';

/**
 * CSV or TSV through csv-parse, streamed. The first row names the columns; a row with fewer or
 * more fields than the header is reported, not guessed at. csv-parse decodes UTF-8 leniently, so
 * invalid bytes show as U+FFFD and are reported as invalid UTF-8. A syntax error the parser cannot
 * recover from (an unclosed quote) is reported at its line and ends the file.
 */
export async function* readCsvRows(file: string, delimiter: ',' | '\t', opts: ReadOptions, display = file): AsyncGenerator<SourceRow> {
  const total = fs.statSync(file).size;
  const input = fs.createReadStream(file, { highWaterMark: 1 << 20, signal: opts.signal });
  let done = 0;
  input.on('data', (c) => {
    done += c.length;
    opts.onProgress?.(done, total);
  });
  const parser = input.pipe(
    parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true, max_record_size: 16 * 1024 * 1024, quote: delimiter === '\t' ? false : '"' }),
  );
  let header: string[] | null = null;
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = info.lines;
      lastLine = line;
      if (!header) {
        header = record.map((h) => h.trim());
        continue;
      }
      const bad = record.find((v) => v.includes('\0') || v.includes('\uFFFD'));
      if (bad !== undefined) {
        yield { line, file: display, error: bad.includes('\0') ? 'NUL byte in the row' : 'invalid UTF-8 (or U+FFFD) in the row' };
        continue;
      }
      if (record.length !== header.length) {
        yield { line, file: display, error: `expected ${header.length} columns (${header.join(', ')}), found ${record.length}` };
        continue;
      }
      const fields: Record<string, unknown> = {};
      header.forEach((h, i) => (fields[h] = record[i]));
      yield { line, file: display, fields };
    }
  } catch (err) {
    if (opts.signal.aborted) throw err;
    const at = (err as { lines?: number }).lines ?? lastLine + 1;
    yield { line: at, file: display, error: `CSV syntax: ${(err as Error).message}` };
  }
}
