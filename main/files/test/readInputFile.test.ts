import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { INPUT_LIMITS, InputFileError, readInputFile, readJsonFile, regularFileSize } from '../readInputFile';

/** Every way a path can point at something that is not a small regular file. */
function hostile(dir: string): Record<string, string> {
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  fs.symlinkSync('/dev/zero', path.join(dir, 'zero'));
  fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'dangling'));
  fs.symlinkSync(path.join(dir, 'loop-b'), path.join(dir, 'loop-a'));
  fs.symlinkSync(path.join(dir, 'loop-a'), path.join(dir, 'loop-b'));
  fs.mkdirSync(path.join(dir, 'folder'));
  const big = path.join(dir, 'big.json');
  fs.writeFileSync(big, '');
  fs.truncateSync(big, INPUT_LIMITS.configJson + 1);
  return {
    fifo,
    zero: path.join(dir, 'zero'),
    dangling: path.join(dir, 'dangling'),
    loop: path.join(dir, 'loop-a'),
    folder: path.join(dir, 'folder'),
    big,
    nul: `${dir}/a\0b`,
    long: path.join(dir, 'x'.repeat(5000)),
    mem: '/proc/self/mem',
  };
}

describe('readInputFile', () => {
  it('refuses, without blocking or reading, everything but a regular file under the limit', () => {
    const paths = hostile(tempDir());
    const why: Record<string, RegExp> = {
      fifo: /is a FIFO \(named pipe\), not a regular file/,
      zero: /is a character device, not a regular file/,
      dangling: /does not exist/,
      loop: /symbolic link loop/,
      folder: /is a directory, not a regular file/,
      big: /is 16\.0 MiB, more than the 16\.0 MiB/,
      nul: /contains a NUL byte/,
      long: /the path is too long/,
      mem: /.+/,
    };
    for (const [name, p] of Object.entries(paths)) {
      let err: unknown;
      try {
        readInputFile(p, INPUT_LIMITS.configJson);
      } catch (e) {
        err = e;
      }
      // /proc/self/mem is a "regular" file of size 0: it reads as empty, never as the process memory.
      if (name === 'mem') {
        expect(err === undefined || err instanceof InputFileError).toBe(true);
        continue;
      }
      expect(err, name).toBeInstanceOf(InputFileError);
      expect((err as Error).message, name).toMatch(why[name]!);
      expect((err as Error).message.length, name).toBeLessThan(400);
    }
    expect(regularFileSize(paths.folder + '/../big.json')).toBe(INPUT_LIMITS.configJson + 1);
  });

  it('names line and column of a JSON error but never quotes the file', () => {
    const file = path.join(tempDir(), 'passwd.json');
    fs.writeFileSync(file, 'root:x:0:0:root:/root:/bin/bash\n');
    expect(() => readJsonFile(file, 1024)).toThrow(`${file}: not valid JSON (line 1, column 1)`);
    fs.writeFileSync(file, '{\n  "a": 1,\n  "secret": hunter2\n}');
    let message = '';
    try {
      readJsonFile(file, 1024);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(`${file}: not valid JSON (line 3, column 13)`);
    expect(message).not.toContain('hunter2');
  });
});
