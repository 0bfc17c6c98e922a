// The runs tables (migration 20261205T1430_runs). A run's status is its latest job's, read with
// it, so what the job runner settles (failed, cancelled, interrupted at the next open) is what the
// run shows; there is no second state to drift. Metrics come from the run folder's files.
import { ErrorCode, StudioError } from '../api/apiError';
import type { AdapterBase } from '../api/adaptersSchemas';
import type { JobStatus } from '../api/jobSchemas';
import { PipelineSchema, type MetricPoint, type RunDetail, type RunEvaluation, type RunStatus, type RunSummary } from '../api/pipelineSchemas';
import type { Db } from '../workspace/openDatabase';
import { readNewLines, runFiles } from './runFiles';

interface RunRow {
  id: string;
  name: string;
  pipeline_yaml: string;
  base_dir: string;
  pipeline_json: string;
  config_hash: string;
  datanet: string;
  datanet_version: number;
  merkle_root: string;
  model_dir: string;
  base_json: string;
  steps: number;
  run_dir: string;
  job_id: string | null;
  adapter_name: string | null;
  summary_json: string | null;
  created_at: string;
  job_status: JobStatus | null;
  job_progress: number | null;
  job_error: string | null;
  last_step: number | null;
}

export interface NewRun {
  id: string;
  name: string;
  pipelineYaml: string;
  baseDir: string;
  pipelineJson: string;
  configHash: string;
  datanet: string;
  datanetVersion: number;
  merkleRoot: string;
  modelDir: string;
  base: AdapterBase;
  steps: number;
  runDir: string;
}

/** What a completed run's job recorded. */
export interface RunOutcome {
  adapter: string;
  adapterPath: string;
  finalLoss: number | null;
  evalLoss: number | null;
  tokensPerSecond: number;
}

const STATUS: Record<JobStatus, RunStatus> = { queued: 'queued', running: 'running', succeeded: 'completed', failed: 'failed', cancelled: 'cancelled', interrupted: 'interrupted' };

const SELECT = `SELECT r.*, j.status AS job_status, j.progress AS job_progress, j.error_json AS job_error,
  (SELECT max(step) FROM run_metrics m WHERE m.run_id = r.id) AS last_step
  FROM runs r LEFT JOIN jobs j ON j.id = r.job_id`;

function toSummary(r: RunRow): RunSummary {
  const outcome = r.summary_json ? (JSON.parse(r.summary_json) as RunOutcome) : null;
  const base = JSON.parse(r.base_json) as AdapterBase;
  const status = r.job_status ? STATUS[r.job_status] : 'queued';
  const error = r.job_error ? (JSON.parse(r.job_error) as { message?: string }) : null;
  return {
    id: r.id,
    name: r.name,
    status,
    reason: status === 'completed' ? null : (error?.message ?? null),
    configHash: r.config_hash,
    datanet: { name: r.datanet, version: r.datanet_version, merkleRoot: r.merkle_root },
    model: { dir: r.model_dir, digest: base.digest },
    steps: r.steps,
    step: r.last_step ?? 0,
    progress: status === 'completed' ? 1 : r.job_progress,
    finalLoss: outcome?.finalLoss ?? null,
    evalLoss: outcome?.evalLoss ?? null,
    tokensPerSecond: outcome?.tokensPerSecond ?? null,
    adapter: r.adapter_name,
    runDir: r.run_dir,
    jobId: r.job_id,
    createdAt: r.created_at,
  };
}

export function insertRun(db: Db, r: NewRun): void {
  db.prepare(
    `INSERT INTO runs (id, name, pipeline_yaml, base_dir, pipeline_json, config_hash, datanet, datanet_version, merkle_root, model_dir, base_json, steps, run_dir, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(r.id, r.name, r.pipelineYaml, r.baseDir, r.pipelineJson, r.configHash, r.datanet, r.datanetVersion, r.merkleRoot, r.modelDir, JSON.stringify(r.base), r.steps, r.runDir, new Date().toISOString());
}

export function setRunJob(db: Db, id: string, jobId: string): void {
  db.prepare('UPDATE runs SET job_id = ? WHERE id = ?').run(jobId, id);
}

function row(db: Db, id: string): RunRow {
  const r = db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
  if (!r) throw new StudioError(ErrorCode.NotFound, `No run ${id} (studio runs list shows them).`, { id });
  return r;
}

export function getRun(db: Db, id: string): RunSummary {
  return toSummary(row(db, id));
}

/** The run row's stored pipeline and lineage, for the job and exports. */
export function runRecord(db: Db, id: string): { summary: RunSummary; pipelineYaml: string; baseDir: string; pipeline: ReturnType<typeof PipelineSchema.parse>; base: AdapterBase; outcome: RunOutcome | null } {
  const r = row(db, id);
  return {
    summary: toSummary(r),
    pipelineYaml: r.pipeline_yaml,
    baseDir: r.base_dir,
    pipeline: PipelineSchema.parse(JSON.parse(r.pipeline_json)),
    base: JSON.parse(r.base_json) as AdapterBase,
    outcome: r.summary_json ? (JSON.parse(r.summary_json) as RunOutcome) : null,
  };
}

export function listRuns(db: Db, limit = 200): RunSummary[] {
  return (db.prepare(`${SELECT} ORDER BY r.created_at DESC, r.rowid DESC LIMIT ?`).all(limit) as RunRow[]).map(toSummary);
}

export function runMetrics(db: Db, id: string): MetricPoint[] {
  return (db.prepare('SELECT * FROM run_metrics WHERE run_id = ? ORDER BY step').all(id) as Record<string, unknown>[]).map((m) => ({
    step: m['step'] as number,
    loss: m['loss'] as number | null,
    lr: m['lr'] as number,
    gradNorm: m['grad_norm'] as number | null,
    tokensPerSecond: m['tokens_per_second'] as number,
    memoryMB: m['memory_mb'] as number,
    time: m['time'] as string,
  }));
}

export function runEvaluations(db: Db, id: string): RunEvaluation[] {
  return (db.prepare('SELECT * FROM run_evaluations WHERE run_id = ? ORDER BY step').all(id) as Record<string, unknown>[]).map((e) => ({
    step: e['step'] as number,
    evalLoss: e['eval_loss'] as number | null,
    perplexity: e['perplexity'] as number | null,
    samples: JSON.parse(e['samples_json'] as string) as RunEvaluation['samples'],
    checkpoint: e['checkpoint'] === 1,
    time: e['time'] as string,
  }));
}

export function getRunDetail(db: Db, id: string): RunDetail {
  const rec = runRecord(db, id);
  const outcome = rec.outcome;
  return { ...rec.summary, pipelineYaml: rec.pipelineYaml, pipeline: rec.pipeline, metrics: runMetrics(db, id), evaluations: runEvaluations(db, id), adapterPath: outcome?.adapterPath ?? null };
}

export function completeRun(db: Db, id: string, outcome: RunOutcome): void {
  db.prepare('UPDATE runs SET adapter_name = ?, summary_json = ? WHERE id = ?').run(outcome.adapter, JSON.stringify(outcome), id);
}

/** Drops stored points past a checkpoint a resume continues from (they are trained again). */
export function dropRunDataAfter(db: Db, id: string, step: number): void {
  db.prepare('DELETE FROM run_metrics WHERE run_id = ? AND step > ?').run(id, step);
  db.prepare('DELETE FROM run_evaluations WHERE run_id = ? AND step > ?').run(id, step);
  offsets.delete(id);
}

/** Bytes of each run's files already copied, per process (a new process starts over: inserts are idempotent). */
const offsets = new Map<string, { metrics: number; evaluations: number }>();

/** Copies the run folder's new lines into the tables; returns what was new (for the metrics event). */
export function syncRunFiles(db: Db, id: string, runDir: string): { points: MetricPoint[]; evaluations: RunEvaluation[] } {
  const f = runFiles(runDir);
  const at = offsets.get(id) ?? { metrics: 0, evaluations: 0 };
  const m = readNewLines<MetricPoint>(f.metrics, at.metrics);
  const e = readNewLines<RunEvaluation>(f.evaluations, at.evaluations);
  if (m.items.length > 0 || e.items.length > 0) {
    const putMetric = db.prepare(
      'INSERT OR REPLACE INTO run_metrics (run_id, step, loss, lr, grad_norm, tokens_per_second, memory_mb, time) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const putEval = db.prepare('INSERT OR REPLACE INTO run_evaluations (run_id, step, eval_loss, perplexity, samples_json, checkpoint, time) VALUES (?, ?, ?, ?, ?, ?, ?)');
    db.transaction(() => {
      for (const p of m.items) putMetric.run(id, p.step, p.loss, p.lr, p.gradNorm, p.tokensPerSecond, p.memoryMB, p.time);
      for (const v of e.items) putEval.run(id, v.step, v.evalLoss, v.perplexity, JSON.stringify(v.samples), v.checkpoint ? 1 : 0, v.time);
    })();
  }
  offsets.set(id, { metrics: m.offset, evaluations: e.offset });
  return { points: m.items, evaluations: e.items };
}
