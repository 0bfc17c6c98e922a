import type { ApiErrorData } from '../api/apiError';

/** Messages a job worker posts to the runner. */
export type WorkerToRunner =
  | { type: 'progress'; progress: number | null; message: string | null }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string }
  | { type: 'writing'; active: boolean }
  | { type: 'done'; result: unknown }
  | { type: 'failed'; error: ApiErrorData };

export type RunnerToWorker = { type: 'cancel' };

export interface JobWorkerData {
  kind: string;
  input: unknown;
  workspaceRoot: string;
  /** 4 bytes the runner sets to 1 on cancel: read by native code the worker is blocked in. */
  cancelFlag: SharedArrayBuffer;
}
