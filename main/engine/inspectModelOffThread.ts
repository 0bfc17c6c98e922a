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

/** Inspections in flight at once; more wait their turn (a thread each, tens of MB each). */
const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

export async function inspectModelOffThread(dir: string, timeoutMs = INSPECT_TIMEOUT_MS): Promise<ModelInspection> {
  // A finishing inspection hands its slot straight to the next in line, so none is over-admitted.
  if (running >= MAX_CONCURRENT) await new Promise<void>((r) => waiting.push(r));
  else running++;
  try {
    return await inspectInWorker(dir, timeoutMs);
  } finally {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }
}

function inspectInWorker(dir: string, timeoutMs: number): Promise<ModelInspection> {
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
