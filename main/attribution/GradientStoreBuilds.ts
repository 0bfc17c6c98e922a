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

  /**
   * `automatic`: start a store after every training job that succeeded (the app and `studio
   * serve`, which outlive it). The CLI's short-lived core passes false: a store of a few thousand
   * records takes minutes of CPU on 2 cores, longer than the training it follows, so `studio
   * train` builds it only when asked (`--gradient-store`, through startAfter) and otherwise the
   * first attribution in the app, or `studio attribution index NAME --adapter A`, builds it.
   */
  constructor(private readonly deps: { db: () => Db; jobs: () => GradientJobs; log: (level: 'info' | 'warn', message: string) => void; automatic: boolean }) {}

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

  /** Called with every job update: a training job that registered an adapter with lineage gets its store built (when automatic). */
  onJob(job: Job): void {
    if (this.deps.automatic) this.startAfter(job);
  }

  /** Starts the store of the adapter this succeeded training job registered (once); its job id, or null when it has none. */
  startAfter(job: Job): string | null {
    const done = this.followUps.get(job.id);
    if (done) return done;
    const name = trainedAdapter(job);
    if (!name) return null;
    const record = findAdapter(this.deps.db(), name);
    if (!record || !lineageDatanet(record)) return null;
    const started = this.ensure(name);
    if (!started) return null;
    this.followUps.set(job.id, started.id);
    this.deps.log('info', `Adapter ${name} was trained on ${lineageDatanet(record)}: building its gradient store for attribution (job ${started.id}).`);
    return started.id;
  }
}
