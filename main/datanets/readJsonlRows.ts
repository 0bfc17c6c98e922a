import fs from 'node:fs';
import type { ReadOptions, SourceRow } from './sourceRow';

/** A line longer than this is reported and skipped without being held in memory. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON Lines, streamed: only the current line is held (at most MAX_LINE_BYTES). Each line is
 * decoded as strict UTF-8, must hold no NUL byte and parse as one JSON object; a blank line is
 * skipped. Bad lines come back as errors naming the reason; the reading goes on.
 */
export async function* readJsonlRows(file: string, opts: ReadOptions, display = file): AsyncGenerator<SourceRow> {
  const total = fs.statSync(file).size;
  let done = 0;
  let line = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let tooLong = false;
  const finish = (): SourceRow | null => {
    line++;
    const bytes = Buffer.concat(parts, partBytes);
    parts = [];
    partBytes = 0;
    if (tooLong) {
      tooLong = false;
      return { line, file: display, error: `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB` };
    }
    return parseLine(bytes, line, display);
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20, signal: opts.signal }) as AsyncIterable<Buffer>) {
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
      take(chunk.subarray(start, nl));
      const row = finish();
      if (row) yield row;
      start = nl + 1;
    }
    take(chunk.subarray(start));
    done += chunk.length;
    opts.onProgress?.(done, total);
  }
  if (partBytes > 0 || tooLong) {
    const row = finish();
    if (row) yield row;
  }

  function take(piece: Buffer): void {
    if (piece.length === 0 || tooLong) return;
    if (partBytes + piece.length > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
      partBytes = 0;
      return;
    }
    parts.push(piece);
    partBytes += piece.length;
  }
}

function parseLine(bytes: Buffer, line: number, file: string): SourceRow | null {
  if (bytes.includes(0)) return { line, file, error: 'NUL byte in the line' };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { line, file, error: 'invalid UTF-8' };
  }
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { line, file, error: `malformed JSON: ${(err as Error).message}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { line, file, error: 'not a JSON object' };
  return { line, file, fields: value as Record<string, unknown> };
}
