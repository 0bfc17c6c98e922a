// Worker thread entry for inspectModelOffThread: one inspection, one answer, then the thread ends.
import { parentPort, workerData } from 'node:worker_threads';
import { inspectModel } from './inspectModel';

const { dir } = workerData as { dir: string };
try {
  parentPort!.postMessage({ ok: true, inspection: inspectModel(dir) });
} catch (err) {
  parentPort!.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
