// Who starts the 'attribution.gradients' job for an adapter, so each adapter's record gradient
// store is built once and without being asked: as a follow-up of a training job that succeeded
// (a Factory run, or `studio train --datanet`, both registering an adapter with datanet lineage),
// and on first use when attribution finds the store missing. A job already queued or running for
// the same adapter is reused rather than doubled.
import type { Job, JobKind } from '../api/jobSchemas';
import { findAdapter } from '../adapters/adaptersRepository';
import type { Db } from '../workspace/openDatabase';
import { lineageDatanet } from './adapterTrainingRecords';

/** The slice of JobRunner used here. */
export interface GradientJobs {
  list(limit?: number): Job[];
  start(kind: JobKind, params: unknown): Job;
}

/** The registered adapter a succeeded training job made, or null (a full-weight run, another kind). */
function trainedAdapter(job: Job): string | null {
  if (job.status !== 'succeeded' || !job.result || typeof job.result !== 'object') return null;
  const r = job.result as { adapter?: unknown; registeredAs?: unknown };
  if (job.kind === 'factory.run' && typeof r.adapter === 'string') return r.adapter;
  if (job.kind === 'engine.train' && typeof r.registeredAs === 'string') return r.registeredAs;
  return null;
}

export class GradientStoreBuilds {
  /** training job id -> the follow-up job it got */
  private readonly followUps = new Map<string, string>();

  constructor(private readonly deps: { db: () => Db; jobs: () => GradientJobs; log: (level: 'info' | 'warn', message: string) => void }) {}

  /** The store job of this adapter: one queued or running already, else a new one (null when it cannot start). */
  ensure(adapter: string, baseDir?: string): Job | null {
    const active = this.deps
      .jobs()
      .list(500)
      .find((j) => j.kind === 'attribution.gradients' && (j.status === 'queued' || j.status === 'running') && (j.params as { adapter?: unknown } | null)?.adapter === adapter);
    if (active) return active;
    try {
      return this.deps.jobs().start('attribution.gradients', { adapter, ...(baseDir ? { model: baseDir } : {}) });
    } catch (err) {
      this.deps.log('warn', `Could not start the gradient store of adapter ${adapter}: ${(err as Error).message}`);
      return null;
    }
  }

  /** Called with every job update: a training job that registered an adapter with lineage gets its store built. */
  onJob(job: Job): void {
    const name = trainedAdapter(job);
    if (!name || this.followUps.has(job.id)) return;
    const record = findAdapter(this.deps.db(), name);
    if (!record || !lineageDatanet(record)) return;
    const started = this.ensure(name);
    if (!started) return;
    this.followUps.set(job.id, started.id);
    this.deps.log('info', `Adapter ${name} was trained on ${lineageDatanet(record)}: building its gradient store for attribution (job ${started.id}).`);
  }

  /** The store job started after this training job, if any. */
  followUpOf(trainingJobId: string): string | null {
    return this.followUps.get(trainingJobId) ?? null;
  }
}
