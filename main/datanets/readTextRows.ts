import fs from 'node:fs';
import path from 'node:path';
import type { ReadOptions, SourceRow } from './sourceRow';

const utf8 = new TextDecoder('utf-8', { fatal: true });
export const TEXT_EXTENSIONS = ['.txt', '.md', '.markdown'];
/** A text file larger than this is reported, not read (one record must fit in memory). */
const MAX_TEXT_FILE = 64 * 1024 * 1024;

/** The .txt/.md files of a folder (recursively, sorted, so ids are stable) or the one file given. */
export function listTextFiles(root: string): string[] {
  if (fs.statSync(root).isFile()) return [root];
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && TEXT_EXTENSIONS.includes(path.extname(e.name).toLowerCase())) out.push(p);
    }
  };
  walk(root);
  return out;
}

/**
 * Plain text or Markdown: one record per file (source id: the path relative to the folder) or one
 * per paragraph (blank-line separated; id `path#N`, line: where the paragraph starts).
 */
export async function* readTextRows(root: string, split: 'file' | 'paragraph', opts: ReadOptions): AsyncGenerator<SourceRow> {
  const files = listTextFiles(root);
  const base = fs.statSync(root).isFile() ? path.dirname(root) : root;
  for (let f = 0; f < files.length; f++) {
    if (opts.signal.aborted) return;
    const file = files[f]!;
    const rel = path.relative(base, file).split(path.sep).join('/');
    const size = fs.statSync(file).size;
    if (size > MAX_TEXT_FILE) {
      yield { line: 1, file: rel, error: `file larger than ${MAX_TEXT_FILE / 1024 / 1024} MiB` };
      continue;
    }
    const bytes = fs.readFileSync(file);
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      yield { line: 1, file: rel, error: 'invalid UTF-8' };
      continue;
    }
    if (text.includes('\0')) {
      yield { line: 1, file: rel, error: 'NUL byte in the file' };
      continue;
    }
    if (split === 'file') {
      if (text.trim() !== '') yield { line: 1, file: rel, fields: { id: rel, text: text.trim() } };
    } else {
      const lines = text.split(/\r?\n/);
      let startLine = 0;
      let buf: string[] = [];
      let n = 0;
      const flush = function* (): Generator<SourceRow> {
        const para = buf.join('\n').trim();
        if (para !== '') yield { line: startLine, file: rel, fields: { id: `${rel}#${++n}`, text: para } };
        buf = [];
      };
      for (let i = 0; i < lines.length; i++) {
        if (lines[i]!.trim() === '') yield* flush();
        else {
          if (buf.length === 0) startLine = i + 1;
          buf.push(lines[i]!);
        }
      }
      yield* flush();
    }
    opts.onProgress?.(f + 1, files.length);
  }
}
