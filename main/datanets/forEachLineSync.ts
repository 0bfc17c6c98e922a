import fs from 'node:fs';

/**
 * Calls fn for every line of a file, reading 1 MiB at a time: for commit steps that must run
 * synchronously inside one SQLite transaction without holding the whole file.
 */
export function forEachLineSync(file: string, fn: (line: string) => void): void {
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  let rest: Buffer[] = [];
  try {
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        rest.push(chunk.subarray(start, nl));
        const line = Buffer.concat(rest).toString('utf8');
        rest = [];
        if (line.length > 0) fn(line);
        start = nl + 1;
      }
      // Copy: buf is reused by the next read.
      if (start < n) rest.push(Buffer.from(chunk.subarray(start)));
    }
    const last = Buffer.concat(rest).toString('utf8');
    if (last.length > 0) fn(last);
  } finally {
    fs.closeSync(fd);
  }
}
