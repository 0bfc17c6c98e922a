// engine.inspect for the core: the model folder is read in a worker thread, so a slow disk, a
// large tokenizer.json or a hostile folder never stalls the event loop every client shares.
import { spawnWorker } from '../jobs/spawnWorker';
import type { ModelInspection } from './inspectModel';

/** Longer than any honest inspection (headers and a tokenizer of at most 128 MiB). */
export const INSPECT_TIMEOUT_MS = 120_000;

export class ModelInspectError extends Error {
  override readonly name = 'ModelInspectError';
}

type Answer = { ok: true; inspection: ModelInspection } | { ok: false; message: string };

export function inspectModelOffThread(dir: string, timeoutMs = INSPECT_TIMEOUT_MS): Promise<ModelInspection> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker('inspectModelWorker', { dir }, import.meta.url);
    let answer: Answer | null = null;
    const timer = setTimeout(() => {
      reject(new ModelInspectError(`${dir}: reading the model folder took longer than ${timeoutMs / 1000} s`));
      void worker.terminate();
    }, timeoutMs);
    timer.unref();
    worker.on('message', (m: Answer) => (answer = m));
    worker.on('error', (err) => {
      answer ??= { ok: false, message: `${dir}: ${err.message}` };
    });
    worker.on('exit', () => {
      clearTimeout(timer);
      const a = answer as Answer | null;
      if (a?.ok) resolve(a.inspection);
      else reject(new ModelInspectError(a?.message ?? `${dir}: the inspection thread ended without an answer`));
    });
  });
}
