import { parentPort, workerData } from 'node:worker_threads';
import { ErrorCode, StudioError, toApiError } from '../api/apiError';
import type { JobContext } from './jobKind';
import { jobKinds } from './jobKinds';
import type { JobWorkerData, RunnerToWorker, WorkerToRunner } from './workerMessages';

/** Entry point of a job's worker thread: runs one job body and reports back. */
const port = parentPort;
if (!port) throw new Error('jobWorker must run in a worker thread');
const data = workerData as JobWorkerData;
const post = (m: WorkerToRunner) => port.postMessage(m);
const controller = new AbortController();
port.on('message', (m: RunnerToWorker) => {
  if (m.type === 'cancel') controller.abort();
});

const ctx: JobContext = {
  workspaceRoot: data.workspaceRoot,
  signal: controller.signal,
  cancelFlag: new Int32Array(data.cancelFlag),
  progress: (progress, message) => post({ type: 'progress', progress, message: message ?? null }),
  log: (level, message) => post({ type: 'log', level, message }),
  writing: (active) => post({ type: 'writing', active }),
};

const def = jobKinds[data.kind as keyof typeof jobKinds];
try {
  if (!def) throw new StudioError(ErrorCode.InvalidRequest, `Unknown job kind ${data.kind}`);
  const result = await def.run(data.input, ctx);
  if (controller.signal.aborted) throw new StudioError(ErrorCode.Cancelled, 'Cancelled.');
  post({ type: 'done', result });
} catch (err) {
  post({ type: 'failed', error: toApiError(err) });
} finally {
  port.close();
}
