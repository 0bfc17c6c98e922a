// The first start's story: a fresh demo workspace ends with the demo datanet, a demo adapter
// fine-tuned on it, a few demo prompts answered by that adapter and attributed (recorded as
// inferences of the open epoch), and that epoch settled on the devnet, so the playground opens on
// a heatmap and the Rewards tab on a settled reward. Each step is a job with its progress.
//
// Kill-safe and idempotent: the story's row says 'building' until the last step ends, and each
// step is skipped when what it makes is already there (the datanet, the adapter, an answer's row,
// a posted settlement). A start that finds the story still 'building' (the last one was killed, or
// a step failed) goes on from the first step not done; once 'done' no start does any of it again.
// A step the user cancels ends the story ('stopped'): nothing restarts what they stopped.
import { ErrorCode, StudioError } from '../api/apiError';
import type { Job } from '../api/jobSchemas';
import type { RunSummary } from '../api/pipelineSchemas';
import type { ResponseAttribution } from '../api/attributionSchemas';
import type { CallOutcome } from '../api/wire';
import { findAdapter } from '../adapters/adaptersRepository';
import { currentEpoch, recordInference } from '../attribution/inferenceLedger';
import { settleEpoch } from '../attribution/settleEpoch';
import { listSettlements } from '../attribution/settlementsRepository';
import type { DevnetService } from '../chain/devnet/devnetService';
import type { PublishingService } from '../chain/publishing/publishingService';
import { demoDatanetState } from '../datanets/demo/buildDemoDatanet';
import { defaultModelIsBuilt } from '../engine/defaultModel/resolveModelArgument';
import { readDemoPipeline } from '../factory/demoPipeline';
import type { JobRunner } from '../jobs/jobRunner';
import type { CoreJobContext } from '../jobs/jobKind';
import type { PlaygroundService } from '../playground/PlaygroundService';
import type { Db } from '../workspace/openDatabase';
import { registerDefaultModel } from './registerDefaultModel';
import { beginStory, endStory, insertAnswer, listAnswers, storyState } from './demoStoryRepository';

/** Asked of the demo adapter on first start: openings the State of the Union addresses know. */
export const DEMO_PROMPTS = ['My fellow Americans,', 'The state of our Union is', 'Tonight I ask the Congress to'] as const;
/** Long enough for a heatmap worth reading, short enough to answer in seconds on 2 cores. */
const DEMO_MAX_TOKENS = 32;

export interface FirstStartDeps {
  db(): Db;
  jobs(): JobRunner;
  playground(): PlaygroundService;
  devnet(): DevnetService;
  publishing(): PublishingService;
  /** The core's request: the story asks for what a user would (jobs.start, factory.start, attribution.attribute). */
  request(method: string, params: unknown): Promise<CallOutcome>;
  onJob(listener: (job: Job) => void): () => void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

function resultOf<T>(out: CallOutcome, what: string): T {
  if (!out.ok) throw new StudioError(out.error.code, `${what}: ${out.error.message}`, out.error.details);
  return out.result as T;
}

export class FirstStartStory {
  private running: Promise<void> | null = null;
  private closing = false;

  constructor(private readonly deps: FirstStartDeps) {}

  /** The first start of a demo workspace: the story begins. */
  begin(): Promise<void> {
    beginStory(this.deps.db());
    return this.resume();
  }

  /** Goes on with a story a previous start left 'building'; nothing when there is none or it ended. */
  resume(): Promise<void> {
    this.running ??= this.run()
      .catch((err: unknown) => this.deps.log('error', `First start: ${(err as Error).message} (Studio goes on from there on its next start).`))
      .finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<void> {
    const db = this.deps.db();
    if (storyState(db).state !== 'building') return;
    if (!demoDatanetState(db)) {
      this.deps.log('info', 'First start: building the demo datanet (State of the Union addresses) in the background.');
      const job = resultOf<Job>(await this.deps.request('jobs.start', { kind: 'datanet.demo', params: {} }), 'Could not start the demo datanet build');
      if (!this.carriesOn(await this.ended(job.id))) return;
    }
    if (!defaultModelIsBuilt()) {
      this.deps.log('info', 'The default model is not built (npm run build:default-model), so the demo fine-tune waits; the Factory runs it from resources/demo.pipeline.yaml.');
      return;
    }
    // On the devnet while the fine-tune trains: the default model in the ModelRegistry.
    const registering = this.registerModel();
    const demo = readDemoPipeline();
    if (!findAdapter(db, demo.adapter)) {
      this.deps.log('info', 'First start: fine-tuning the default model on the demo datanet (resources/demo.pipeline.yaml, one to two minutes on 2 quiet cores).');
      // A demo run a previous start left unfinished resumes from its last checkpoint.
      const left = resultOf<RunSummary[]>(await this.deps.request('runs.list', {}), 'Could not list the runs').find((r) => r.name === demo.name && (r.status === 'interrupted' || r.status === 'cancelled' || r.status === 'failed'));
      const run = left
        ? resultOf<RunSummary>(await this.deps.request('runs.resume', { id: left.id }), 'Could not resume the demo fine-tune')
        : resultOf<RunSummary>(await this.deps.request('factory.start', { yaml: demo.yaml, baseDir: demo.baseDir }), 'Could not start the demo fine-tune');
      if (!this.carriesOn(await this.ended(run.jobId!))) {
        await registering;
        return;
      }
      if (!findAdapter(db, demo.adapter)) throw new Error(`the demo fine-tune finished without registering adapter ${demo.adapter}`);
    }
    if (!this.carriesOn(await registering)) return;
    if (listAnswers(db).length < DEMO_PROMPTS.length) {
      const { done } = this.deps.jobs().runInCore('demo.attribute', { adapter: demo.adapter, prompts: [...DEMO_PROMPTS] }, (ctx) => this.attributePrompts(demo.adapter, ctx));
      if (!this.carriesOn(await done)) return;
    }
    for (const epoch of this.unsettledEpochs()) {
      const { done } = this.deps.jobs().runInCore('demo.settle', { epoch }, (ctx) => this.settle(epoch, ctx));
      if (!this.carriesOn(await done)) return;
    }
    endStory(db, 'done', null);
    this.deps.log('info', 'First start: done. The playground opens on the demo adapter’s attributed answer; the Rewards tab shows the settled epoch.');
  }

  /** The default model registered (or found registered) on the devnet, as a job. */
  private registerModel(): Promise<Job> {
    return this.deps.jobs().runInCore('demo.registerModel', {}, async (ctx) => {
      ctx.progress(null, 'Waiting for the devnet');
      await this.deps.devnet().start();
      ctx.progress(0.5, 'Registering the default model’s files hash in the ModelRegistry');
      const r = await registerDefaultModel(this.deps.db(), { devnet: this.deps.devnet(), publishing: this.deps.publishing() });
      ctx.progress(1, `${r.registered ? 'Registered' : 'Already registered'} as model ${r.modelId} (files hash ${r.filesHash.slice(0, 10)}…)`);
      return r;
    }).done;
  }

  /** The workspace is closing: the jobs it cancels were not cancelled by the user. */
  close(): void {
    this.closing = true;
  }

  /** Whether the story goes on after `job`: a user's cancel ends it, a failure (or a cancel by
   * closing the app) leaves it for the next start. */
  private carriesOn(job: Job): boolean {
    if (job.status === 'succeeded') return true;
    if (job.status === 'cancelled' && !this.closing) {
      endStory(this.deps.db(), 'stopped', `${job.title} was cancelled.`);
      this.deps.log('info', `First start: ${job.title} was cancelled, so the rest of the demo is left to you.`);
      return false;
    }
    this.deps.log('warn', `First start: ${job.title} did not finish (${job.error?.message ?? job.status}); the next start goes on from there.`);
    return false;
  }

  /** The job once it has ended (now, if it already has). */
  private ended(id: string): Promise<Job> {
    return new Promise((resolve) => {
      const isOver = (j: Job) => j.status !== 'queued' && j.status !== 'running';
      const off = this.deps.onJob((j) => {
        if (j.id === id && isOver(j)) {
          off();
          resolve(j);
        }
      });
      const now = this.deps.jobs().get(id);
      if (isOver(now)) {
        off();
        resolve(now);
      }
    });
  }

  /**
   * Each demo prompt not answered yet: generated by the served base with the demo adapter (greedy,
   * as the playground's default sampling), attributed by `attribution.attribute` (the playground's
   * path) and recorded in the open epoch. The answer's row and its inference are written in one
   * transaction, so a kill between two prompts never charges one twice.
   */
  private async attributePrompts(adapter: string, ctx: CoreJobContext) {
    const db = this.deps.db();
    const done = new Set(listAnswers(db).map((a) => a.index));
    const base = await this.deps.playground().base();
    const n = DEMO_PROMPTS.length;
    for (const [index, prompt] of DEMO_PROMPTS.entries()) {
      if (done.has(index)) continue;
      if (ctx.signal.aborted) throw new StudioError(ErrorCode.Cancelled, 'Cancelled.');
      ctx.progress(index / n, `Answering “${prompt}” with ${adapter}`);
      const served = await base.core.submit({ adapter, promptIds: base.tokenizer.encode(prompt), opts: { maxTokens: DEMO_MAX_TOKENS, temperature: 0, topAlternatives: 5, stopIds: base.eosIds } }).done;
      ctx.progress((index + 0.5) / n, `Attributing the answer to “${prompt}”`);
      const attribution = resultOf<ResponseAttribution>(await this.deps.request('attribution.attribute', { model: adapter, prompt, completion: served.text, record: false }), `Attributing “${prompt}”`);
      db.transaction(() => {
        // As attribution.attribute records it (with record: true), in the answer's transaction.
        const inference = recordInference(db, { model: adapter, adapter: attribution.adapter, datanet: attribution.datanet, contributors: attribution.contributors });
        insertAnswer(db, {
          index,
          prompt,
          model: adapter,
          completion: served.text,
          tokens: served.tokens.map((t) => ({ text: t.text, logprob: t.logprob, top: t.top.map((a) => ({ text: a.text, logprob: a.logprob })) })),
          attribution: { ...attribution, inference },
          inferenceId: inference?.id ?? null,
          epoch: inference?.epoch ?? null,
        });
      })();
      ctx.log('info', `“${prompt}” → “${served.text.trim()}” (${attribution.contributors.length} contributors)`);
    }
    const answers = listAnswers(db);
    ctx.progress(1, `${answers.length} demo answers attributed`);
    const epochs = answers.map((a) => a.epoch).filter((e): e is number => e !== null);
    return { answers: answers.length, inferences: epochs.length, epoch: epochs.length ? Math.max(...epochs) : null };
  }

  /** Epochs holding a demo answer's inference that are still open or not fully posted. */
  private unsettledEpochs(): number[] {
    const db = this.deps.db();
    const open = currentEpoch(db);
    const epochs = [...new Set(listAnswers(db).map((a) => a.epoch).filter((e): e is number => e !== null))].sort((a, b) => a - b);
    return epochs.filter((e) => e === open || listSettlements(db, e).some((r) => r.state !== 'posted'));
  }

  /** Settles `epoch` on the devnet (started first if it is not yet), each state a progress step. */
  private async settle(epoch: number, ctx: CoreJobContext) {
    ctx.progress(0, 'Waiting for the devnet');
    await this.deps.devnet().start();
    ctx.progress(0.1, 'Paying the epoch’s fees into the AttributionLedger');
    const settled = await settleEpoch(
      { db: this.deps.db(), devnet: this.deps.devnet(), publishing: this.deps.publishing() },
      {
        epoch,
        hooks: {
          afterPaySent: () => ctx.progress(0.3, 'Fees sent; waiting for the block'),
          afterPaid: () => ctx.progress(0.5, 'Fees paid; building the contributors’ Merkle tree'),
          afterTreeStored: () => ctx.progress(0.7, 'Posting the attribution batch'),
        },
      },
    );
    const batches = settled.models.filter((m) => m.batchId !== null).length;
    ctx.progress(1, `Settled: ${batches} batch${batches === 1 ? '' : 'es'} posted for ${new Set(settled.models.flatMap((m) => m.contributors.map((c) => c.address))).size} contributors`);
    return { epoch: settled.epoch, models: settled.models.map((m) => ({ modelKey: m.modelKey, state: m.state, batchId: m.batchId, contributors: m.contributors.length })) };
  }
}
