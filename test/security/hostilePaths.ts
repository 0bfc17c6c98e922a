import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Paths an outsider would try on a method that takes a path: things that block a reader (FIFO),
 * never end (/dev/zero), are not files (folders, sockets' cousins), do not resolve (dangling and
 * looping symlinks), are too big, leave the folder (traversal), are not valid paths (NUL bytes,
 * names longer than NAME_MAX) or hold secrets (/etc/passwd through a symlink).
 */
export type HostileKind = 'fifo' | 'devZero' | 'procMem' | 'folder' | 'dangling' | 'loop' | 'huge' | 'traversal' | 'nul' | 'longName' | 'passwd';

export const HOSTILE_KINDS: HostileKind[] = ['fifo', 'devZero', 'procMem', 'folder', 'dangling', 'loop', 'huge', 'traversal', 'nul', 'longName', 'passwd'];

/** Makes `target` (which must not exist yet) hostile in the way `kind` says. Returns the path to pass. */
export function makeHostile(kind: HostileKind, target: string): string {
  switch (kind) {
    case 'fifo':
      execFileSync('mkfifo', [target]);
      return target;
    case 'devZero':
      fs.symlinkSync('/dev/zero', target);
      return target;
    case 'procMem':
      fs.symlinkSync('/proc/self/mem', target);
      return target;
    case 'folder':
      fs.mkdirSync(target);
      return target;
    case 'dangling':
      fs.symlinkSync(`${target}.nowhere`, target);
      return target;
    case 'loop':
      fs.symlinkSync(`${target}.other`, target);
      fs.symlinkSync(target, `${target}.other`);
      return target;
    case 'huge':
      // Sparse: 8 GiB that take no disk.
      fs.writeFileSync(target, '');
      fs.truncateSync(target, 8 * 1024 ** 3);
      return target;
    case 'traversal':
      fs.symlinkSync(path.join('..', '..', '..', '..', '..', '..', '..', '..', 'etc', 'passwd'), target);
      return `${path.dirname(target)}/../${path.basename(path.dirname(target))}/${path.basename(target)}`;
    case 'nul':
      return `${target}\0.json`;
    case 'longName':
      return path.join(path.dirname(target), 'n'.repeat(3000));
    case 'passwd':
      fs.symlinkSync('/etc/passwd', target);
      return target;
  }
}

/** Lets a reader that is stuck opening a FIFO go (opening for read and write never blocks). */
export function releaseFifo(file: string): void {
  try {
    if (!fs.lstatSync(file).isFIFO()) return;
    const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_NONBLOCK);
    fs.closeSync(fd);
  } catch {
    // gone already
  }
}

/** The first line of /etc/passwd, which no error message may quote. */
export const PASSWD_SECRET = fs.existsSync('/etc/passwd') ? fs.readFileSync('/etc/passwd', 'utf8').split(':')[0]! + ':x:' : 'root:x:';

/** Small seeded generator (mulberry32): the same cases on every run, a different mix per seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
