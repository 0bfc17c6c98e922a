// Reads files whose paths come from outside (API params, CLI flags, model folders): only regular
// files, never more than a stated number of bytes, and errors that name the file but never quote
// its bytes. A FIFO would block the reading thread until someone writes to it, /dev/zero would
// grow memory without end, and a JSON error from V8 quotes the file's first bytes.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { parse, type ParseError } from 'jsonc-parser';

const MiB = 1024 * 1024;

/** Upper bounds per kind of file; a larger one is refused before it is read. */
export const INPUT_LIMITS = {
  /** config.json, generation_config.json, tokenizer_config.json (chat templates), adapter configs,
   * shard indexes: real ones are kilobytes. */
  configJson: 16 * MiB,
  /** tokenizer.json: the largest common ones (Gemma's 262k vocabulary) are about 35 MB. */
  tokenizerJson: 128 * MiB,
  /** Training JSONL, read whole into one string (V8's string limit is about 512 MiB). */
  trainingData: 512 * MiB,
  /** Small settings files given on the command line (--config, --contracts). */
  smallJson: 4 * MiB,
} as const;

export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  constructor(
    readonly file: string,
    readonly shortMessage: string,
  ) {
    super(`${shortenForMessage(file)}: ${shortMessage}`);
  }
}

/** A path or argument as messages show it: long ones keep their start and end (a 20 kB input is
 * the caller's own, echoing it whole only buries the reason). */
export function shortenForMessage(text: string, max = 300): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.6);
  return `${text.slice(0, head)}…(${text.length - max} characters)…${text.slice(text.length - (max - head))}`;
}

/** What kind of thing a stat describes, for "X is a FIFO, not a regular file". */
function kindOf(s: Stats): string {
  if (s.isDirectory()) return 'a directory';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a regular file';
}

function explainErrno(file: string, err: unknown): InputFileError {
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: 'does not exist',
    ELOOP: 'is a symbolic link loop',
    ENAMETOOLONG: 'the path is too long',
    ENOTDIR: 'a part of the path is not a directory',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'is a directory',
  };
  return new InputFileError(file, (code && why[code]) ?? `cannot be read (${code ?? (err as Error).message})`);
}

/** A NUL byte would be rejected by Node with a message quoting the whole path. */
function checkPathText(file: string): void {
  if (file.includes('\0')) throw new InputFileError(JSON.stringify(file.replace(/\0/g, '\\0').slice(0, 200)), 'the path contains a NUL byte');
}

/**
 * Size of the regular file at `file` (symlinks followed); throws InputFileError for anything else.
 * stat never blocks on a FIFO, so this is safe on any thread.
 */
export function regularFileSize(file: string): number {
  checkPathText(file);
  let s: Stats;
  try {
    s = statSync(file);
  } catch (err) {
    throw explainErrno(file, err);
  }
  if (!s.isFile()) throw new InputFileError(file, `is ${kindOf(s)}, not a regular file`);
  return s.size;
}

/** True when `file` exists at all (a dangling symlink counts as missing, as readers see it). */
export function inputExists(file: string): boolean {
  checkPathText(file);
  try {
    statSync(file);
    return true;
  } catch (err) {
    // A loop or an over-long name exists as far as the user is concerned: let the read explain.
    return (err as NodeJS.ErrnoException).code !== 'ENOENT';
  }
}

/**
 * Opens `file` for reading as a regular file: O_NONBLOCK so that a FIFO swapped in after the
 * stat cannot block the open, then fstat on the descriptor decides. The caller closes the fd.
 */
export function openRegularFile(file: string, maxBytes: number): { fd: number; size: number } {
  regularFileSize(file);
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw explainErrno(file, err);
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw new InputFileError(file, `is ${kindOf(s)}, not a regular file`);
    if (s.size > maxBytes) throw new InputFileError(file, `is ${formatSize(s.size)}, more than the ${formatSize(maxBytes)} this kind of file may have`);
    return { fd, size: s.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

/** The whole file, at most `maxBytes` (a file growing while read is cut at its size at open). */
export function readInputFile(file: string, maxBytes: number): Buffer {
  const { fd, size } = openRegularFile(file, maxBytes);
  try {
    const buf = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return done === size ? buf : buf.subarray(0, done);
  } catch (err) {
    throw err instanceof InputFileError ? err : explainErrno(file, err);
  } finally {
    closeSync(fd);
  }
}

export function readInputText(file: string, maxBytes: number): string {
  return readInputFile(file, maxBytes).toString('utf8');
}

/** JSON from a file; a syntax error names the file, line and column, never the file's text. */
export function readJsonFile(file: string, maxBytes: number): unknown {
  const text = readInputText(file, maxBytes);
  try {
    return JSON.parse(text);
  } catch {
    throw new InputFileError(file, jsonSyntaxError(text));
  }
}

/**
 * "not valid JSON (line 3, column 7)": V8's own message quotes the text around the error
 * ("Unexpected token 'r', "root:x:0:0:"... is not valid JSON"), which may be a secret.
 */
export function jsonSyntaxError(text: string): string {
  if (text.trim() === '') return 'not valid JSON (the file is empty)';
  const errors: ParseError[] = [];
  parse(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (!first) return 'not valid JSON';
  const before = text.slice(0, first.offset);
  const line = before.split('\n').length;
  const column = first.offset - before.lastIndexOf('\n');
  return `not valid JSON (line ${line}, column ${column})`;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < MiB) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * MiB) return `${(n / MiB).toFixed(1)} MiB`;
  return `${(n / 1024 / MiB).toFixed(1)} GiB`;
}
