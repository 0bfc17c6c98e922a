import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a module beside `base` (default: this one; callers elsewhere pass
 * their own import.meta.url). From the build (`dist/node/*.mjs`) the entry is the bundled `.mjs`
 * beside every other bundle; from sources (tests, `tsx`) it is the `.ts` file, loaded through
 * tsx's loader, because Node's worker `execArgv` does not carry `--import` hooks to the entry.
 */
export function spawnWorker(entry: string, workerData: unknown, base: string = import.meta.url): Worker {
  const fromSources = base.endsWith('.ts');
  const url = new URL(`./${entry}.${fromSources ? 'ts' : 'mjs'}`, base);
  if (!fromSources) return new Worker(url, { workerData });
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}
