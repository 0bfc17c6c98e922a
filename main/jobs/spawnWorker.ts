import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread from a module beside this one. From the build (`dist/node/*.mjs`) the
 * entry is the bundled `.mjs`; from sources (tests, `tsx`) it is the `.ts` file, loaded through
 * tsx's loader, because Node's worker `execArgv` does not carry `--import` hooks to the entry.
 */
export function spawnWorker(entry: string, workerData: unknown): Worker {
  const fromSources = import.meta.url.endsWith('.ts');
  const url = new URL(`./${entry}.${fromSources ? 'ts' : 'mjs'}`, import.meta.url);
  if (!fromSources) return new Worker(url, { workerData });
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { eval: true, workerData });
}
