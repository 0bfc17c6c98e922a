// Starting, resuming and cancelling runs, and streaming their metrics. A run is recorded before
// its job is queued, so a crash between the two leaves a run whose status says it never started
// ('queued' with no job) rather than a job nobody can find.
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { ErrorCode, StudioError } from '../api/apiError';
import type { Job } from '../api/jobSchemas';
import type { FactoryMetricsEvent, Pipeline, RunSummary, RunsCompare } from '../api/pipelineSchemas';
import { modelFingerprint } from '../adapters/modelFingerprint';
import { canonicalJson } from '../datanets/canonicalJson';
import type { JobRunner } from '../jobs/jobRunner';
import type { Db } from '../workspace/openDatabase';
import { getRun, getRunDetail, insertRun, listRuns, runEvaluations, runMetrics, runRecord, setRunJob, syncRunFiles } from './runsRepository';
import { resolvePipeline } from './validatePipeline';

export interface FactoryDeps {
  db: () => Db;
  runsDir: () => string;
  jobs: () => JobRunner;
  emit: (e: FactoryMetricsEvent) => void;
}

/** What decides a run's numbers: the pipeline without its name, layout and publishing, the data and the base. */
export function configHashOf(p: Pipeline, merkleRoot: string, modelDigest: string): string {
  const { name: _n, layout: _l, publish: _p, adapter: _a, ...decides } = p;
  return createHash('sha256').update(canonicalJson({ pipeline: decides, datanet: merkleRoot, model: modelDigest })).digest('hex');
}

function newRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export class FactoryService {
  constructor(private readonly deps: FactoryDeps) {}

  async start(yaml: string, baseDir: string): Promise<RunSummary> {
    const db = this.deps.db();
    const { result, resolved } = resolvePipeline(db, yaml, baseDir);
    if (!resolved) throw new StudioError('PIPELINE_INVALID', `The pipeline is not valid: ${result.errors.map((e) => `${e.node}${e.field ? `.${e.field}` : ''}${e.line ? ` (line ${e.line})` : ''}: ${e.message}`).join('; ')}`, { errors: result.errors });
    const base = await modelFingerprint(resolved.modelDir);
    // The version the run trains on is pinned: "latest" at start stays that version on resume.
    const pipeline: Pipeline = { ...resolved.pipeline, datanet: { ...resolved.pipeline.datanet, version: resolved.version.version } };
    const id = newRunId();
    insertRun(db, {
      id,
      name: pipeline.name ?? pipeline.adapter.name,
      pipelineYaml: yaml,
      baseDir,
      pipelineJson: JSON.stringify(pipeline),
      configHash: configHashOf(pipeline, resolved.version.merkleRoot, base.digest),
      datanet: resolved.datanet.name,
      datanetVersion: resolved.version.version,
      merkleRoot: resolved.version.merkleRoot,
      modelDir: resolved.modelDir,
      base,
      steps: resolved.steps,
      runDir: path.join(this.deps.runsDir(), id),
    });
    const job = this.deps.jobs().start('factory.run', { runId: id });
    setRunJob(db, id, job.id);
    return getRun(db, id);
  }

  resume(id: string): RunSummary {
    const db = this.deps.db();
    const run = getRun(db, id);
    if (!['failed', 'cancelled', 'interrupted'].includes(run.status)) {
      throw new StudioError(ErrorCode.Conflict, `Run ${id} is ${run.status}; only a failed, cancelled or interrupted run resumes.`, { id, status: run.status });
    }
    const job = this.deps.jobs().start('factory.run', { runId: id, resume: true });
    setRunJob(db, id, job.id);
    return getRun(db, id);
  }

  cancel(id: string): RunSummary {
    const run = getRun(this.deps.db(), id);
    if (run.jobId && (run.status === 'queued' || run.status === 'running')) this.deps.jobs().cancel(run.jobId);
    return getRun(this.deps.db(), id);
  }

  /** Every job update of a run (at most a few a second, the runner's throttle): new points out as one event. */
  onJob(job: Job): void {
    if (job.kind !== 'factory.run') return;
    const runId = (job.params as { runId: string }).runId;
    const db = this.deps.db();
    let run: RunSummary;
    try {
      run = getRun(db, runId);
    } catch {
      return;
    }
    if (run.jobId !== null && run.jobId !== job.id) return;
    const fresh = syncRunFiles(db, runId, run.runDir);
    this.deps.emit({ runId, status: getRun(db, runId).status, points: fresh.points, evaluations: fresh.evaluations });
  }

  list(limit?: number): RunSummary[] {
    return listRuns(this.deps.db(), limit);
  }

  get(id: string) {
    const db = this.deps.db();
    const run = getRun(db, id);
    // A run whose job runs elsewhere (another process) or ended before this process: catch up.
    syncRunFiles(db, id, run.runDir);
    return getRunDetail(db, id);
  }

  compare(ids: string[]): RunsCompare {
    const db = this.deps.db();
    const recs = ids.map((id) => runRecord(db, id));
    const flat = recs.map((r) => flatten({ ...r.pipeline, name: undefined, layout: undefined, adapter: undefined, publish: undefined }));
    const keys = [...new Set(flat.flatMap((f) => [...f.keys()]))].sort();
    const differences = keys
      .map((k) => ({ path: k, values: flat.map((f) => f.get(k) ?? null) }))
      .filter((d) => new Set(d.values.map((v) => JSON.stringify(v))).size > 1);
    // Steps: epochs resolve differently on different data, so the resolved count is compared too.
    if (new Set(recs.map((r) => r.summary.steps)).size > 1 && !differences.some((d) => d.path === 'train.steps')) differences.push({ path: 'steps (resolved)', values: recs.map((r) => r.summary.steps) });
    if (new Set(recs.map((r) => r.summary.datanet.merkleRoot)).size > 1) differences.push({ path: 'datanet.merkleRoot', values: recs.map((r) => r.summary.datanet.merkleRoot) });
    const evals = ids.map((id) => runEvaluations(db, id));
    const lastSamples = evals.map((e) => [...e].reverse().find((x) => x.samples.length > 0)?.samples ?? []);
    const prompts = [...new Set(lastSamples.flatMap((s) => s.map((x) => x.prompt)))];
    return {
      runs: recs.map((r) => r.summary),
      differences,
      samples: prompts.map((prompt) => ({ prompt, texts: lastSamples.map((s) => s.find((x) => x.prompt === prompt)?.text ?? null) })),
      curves: ids.map((id, i) => {
        const m = runMetrics(db, id);
        const e = evals[i]!.filter((x) => x.evalLoss !== null);
        return { id, steps: m.map((p) => p.step), loss: m.map((p) => p.loss), evalSteps: e.map((x) => x.step), evalLoss: e.map((x) => x.evalLoss) };
      }),
    };
  }
}

/** {a: {b: 1}} -> "a.b" -> 1; arrays stay whole values (targets, prompts). */
function flatten(v: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    const key = prefix ? `${prefix}.${k}` : k;
    if (x && typeof x === 'object' && !Array.isArray(x)) flatten(x as Record<string, unknown>, key, out);
    else out.set(key, x);
  }
  return out;
}
