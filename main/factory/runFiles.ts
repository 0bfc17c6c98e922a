// The files a factory run's worker writes beside the engine's (it must not touch the database):
// <run>/factory/metrics.jsonl, a line per step, and evaluations.jsonl, a line per evaluation.
// The core copies them into the runs tables as they grow (runsRepository.syncRunFiles).
import fs from 'node:fs';
import path from 'node:path';
import type { MetricPoint, RunEvaluation } from '../api/pipelineSchemas';

export const runFiles = (runDir: string) => ({
  dir: path.join(runDir, 'factory'),
  metrics: path.join(runDir, 'factory', 'metrics.jsonl'),
  evaluations: path.join(runDir, 'factory', 'evaluations.jsonl'),
  trainData: path.join(runDir, 'factory', 'train.jsonl'),
  evalData: path.join(runDir, 'factory', 'eval.jsonl'),
  adapter: path.join(runDir, 'adapter'),
  checkpointState: path.join(runDir, 'checkpoint', 'trainer_state.json'),
});

export function appendLine(file: string, value: MetricPoint | RunEvaluation): void {
  fs.appendFileSync(file, `${JSON.stringify(value)}\n`);
}

/** The step of the run's last whole checkpoint, or 0. */
export function checkpointStepOf(runDir: string): number {
  try {
    const state = JSON.parse(fs.readFileSync(runFiles(runDir).checkpointState, 'utf8')) as { step?: unknown };
    return typeof state.step === 'number' ? state.step : 0;
  } catch {
    return 0;
  }
}

/**
 * Before a resume: lines for steps past the checkpoint are dropped (they are run again), as
 * runTraining does with its own metrics.jsonl. Complete lines only: a half-written last line
 * from a killed process goes too.
 */
export function truncateRunFiles(runDir: string, step: number): void {
  const f = runFiles(runDir);
  for (const file of [f.metrics, f.evaluations]) {
    if (!fs.existsSync(file)) continue;
    const kept = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => {
        try {
          return l !== '' && (JSON.parse(l) as { step: number }).step <= step;
        } catch {
          return false;
        }
      });
    fs.writeFileSync(file, kept.map((l) => `${l}\n`).join(''));
  }
}

/** Complete lines from byte `offset` on; returns them and the offset after the last complete one. */
export function readNewLines<T>(file: string, offset: number): { items: T[]; offset: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return { items: [], offset };
  }
  try {
    const size = fs.fstatSync(fd).size;
    if (size < offset) offset = 0;
    const buf = Buffer.alloc(size - offset);
    fs.readSync(fd, buf, 0, buf.length, offset);
    const text = buf.toString('utf8');
    const end = text.lastIndexOf('\n');
    if (end < 0) return { items: [], offset };
    const items = text
      .slice(0, end)
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
    return { items, offset: offset + Buffer.byteLength(text.slice(0, end + 1)) };
  } finally {
    fs.closeSync(fd);
  }
}
