import os from 'node:os';
import { ErrorCode, StudioError, formatZodIssues, toApiError } from '../api/apiError';
import { events as eventSchemas, isMethodName, methods, type EventName, type EventPayload, type MethodName } from '../api/contract';
import type { AppInfo } from '../api/schemas';
import type { CallOutcome } from '../api/wire';
import { ArtifactStore } from '../artifacts/artifactStore';
import { getArtifact, listArtifacts } from '../artifacts/artifactsRepository';
import { DevnetService } from '../chain/devnet/devnetService';
import type { KeyEncryptionBackend } from '../chain/keys/keyEncryptionBackend';
import { KeyStore } from '../chain/keys/keyStore';
import { PassphraseKeystoreBackend } from '../chain/keys/passphraseKeystoreBackend';
import { PreparedWriteService } from '../chain/writes/preparedWriteService';
import { PublishingService } from '../chain/publishing/publishingService';
import { JobRunner } from '../jobs/jobRunner';
import { formatSettings, parseSettingsText, readSettings, settingsJsonSchema, writeSettings } from '../workspace/settingsStore';
import { DEMO_WORKSPACE } from '../workspace/studioHome';
import type { Workspace } from '../workspace/workspace';
import { WorkspaceManager, workspaceInfo } from '../workspace/workspaceManager';
import { chainStatus, engineStatus } from './capabilities';
import { chainHandlers } from './chainHandlers';
import { datanetHandlers } from './datanetHandlers';
import { engineHandlers } from './engineHandlers';
import { governanceHandlers } from './governanceHandlers';
import { adaptersHandlers } from './adaptersHandlers';
import { listNetworks } from '../chain/networks/networksRepository';
import { devnetServiceExplorer, registryEntryReader, registryFilesHashReader } from '../adapters/registryFilesHashReader';
import { attributionHandlers } from './attributionHandlers';
import { factoryHandlers } from './factoryHandlers';
import { FactoryService } from '../factory/factoryService';
import type { Job } from '../api/jobSchemas';
import { FirstStartStory } from '../firstStart/firstStartStory';
import { demoStoryHandlers } from './demoStoryHandlers';
import { PlaygroundService } from '../playground/PlaygroundService';
import { networkHandlers, resolveNetwork } from './networkHandlers';
import { settlementHandlers } from './settlementHandlers';
import { LogBus } from './logBus';
import { GradientStoreBuilds } from '../attribution/GradientStoreBuilds';
import type { Handlers } from './handlers';
import { isSqliteBusy } from '../workspace/isSqliteBusy';
import pkg from '../../package.json' with { type: 'json' };

export interface StudioCoreOptions {
  home: string;
  mode: AppInfo['mode'];
  /** Workspace to open; the demo workspace by default. */
  workspace?: string;
  /** 'auto' starts the workspace's devnet on open (default in serve and electron modes); 'off'
   * leaves it to chain.start (default for embedded use: CLI commands, tests). */
  devnet?: 'auto' | 'off';
  /** How stored keys are sealed; a passphrase keystore (Web3 Secret Storage v3) by default. */
  keyBackend?: KeyEncryptionBackend;
  /**
   * 'auto' builds the demo content when this start made the demo workspace (the first start's
   * story, main/firstStart: the demo datanet, the demo fine-tune, attributed demo answers and their
   * settlement, each a job with its progress) and goes on with it on a later start if a kill cut
   * it short: the default in serve and electron
   * modes unless STUDIO_DEMO_CONTENT=off (the test configs set it: their fresh homes count jobs
   * and artifacts). 'off' leaves it to `studio datanet demo`; the default for embedded use.
   */
  demoContent?: 'auto' | 'off';
}

type Listener = (event: EventName, data: unknown) => void;

/**
 * The core: one open workspace, its job runner and log, and the handlers behind every API
 * method. Transports call `request`; they subscribe to `onEvent`. No Electron here.
 */
export class StudioCore {
  readonly manager: WorkspaceManager;
  readonly log: LogBus;
  private readonly listeners = new Set<Listener>();
  private ws!: Workspace;
  private jobs!: JobRunner;
  private devnet!: DevnetService;
  private publishing!: PublishingService;
  private keys!: KeyStore;
  private writes!: PreparedWriteService;
  private served!: PlaygroundService;
  private factory!: FactoryService;
  private gradientStores!: GradientStoreBuilds;
  private story!: FirstStartStory;
  /** `studio serve --model DIR`: the base the playground serves, over the workspace setting. */
  private playgroundModel: string | undefined;
  private readonly handlers: Handlers;

  private constructor(private readonly opts: StudioCoreOptions) {
    this.manager = new WorkspaceManager(opts.home);
    this.log = new LogBus((entry) => this.emit('log', entry));
    this.handlers = this.createHandlers();
  }

  static open(opts: StudioCoreOptions): StudioCore {
    const core = new StudioCore(opts);
    const firstStart = core.manager.ensureDemo();
    core.openWorkspace(opts.workspace ?? DEMO_WORKSPACE);
    const demoDefault = opts.mode === 'embedded' || process.env.STUDIO_DEMO_CONTENT === 'off' ? 'off' : 'auto';
    if (core.ws.isDemo && (opts.demoContent ?? demoDefault) === 'auto') {
      // The first start begins the demo story; a later one goes on with it if a kill cut it short.
      void (firstStart ? core.story.begin() : core.story.resume());
    }
    return core;
  }

  get workspace(): Workspace {
    return this.ws;
  }

  onEvent(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates and runs one request; never throws: failures come back as error data. */
  async request(method: string, params: unknown): Promise<CallOutcome> {
    try {
      if (!isMethodName(method)) throw new StudioError(ErrorCode.UnknownMethod, `Unknown method "${method}".`, { known: Object.keys(methods) });
      const parsed = methods[method].params.safeParse(params ?? {});
      if (!parsed.success) throw new StudioError(ErrorCode.InvalidRequest, `${method}: ${formatZodIssues(parsed.error, 'params')}`);
      const handler = this.handlers[method] as (p: unknown) => unknown;
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (err) {
      const error = toApiError(this.busyError(err) ?? err);
      if (error.code === ErrorCode.Internal) this.log.write('error', 'api', `${method} failed: ${error.message}`);
      return { ok: false, error };
    }
  }

  /**
   * SQLite's "database is locked" said what, not why: while a job's own connection holds the
   * write lock (a datanet import committing, JobRunner.writingJob), a write on the core's fails
   * at once; the caller is told which job, that reads still work, and to retry when it ends.
   */
  private busyError(err: unknown): StudioError | null {
    if (!isSqliteBusy(err)) return null;
    const writer = this.jobs?.writingJob();
    if (!writer) return new StudioError(ErrorCode.Conflict, `The workspace database is busy (another connection holds its write lock): ${(err as Error).message}. Try again.`);
    return new StudioError(
      ErrorCode.Conflict,
      `The workspace database is busy: job ${writer.id} (${writer.title}) is committing and holds its write lock until it ends. Reading works meanwhile; try this again once that job has finished, or cancel it.`,
      { busy: true, jobId: writer.id },
    );
  }

  /** Starts (once) the job building the gradient store of the adapter a succeeded training job
   * registered, so the CLI can wait for it before closing the core; null when it has none. */
  startGradientStoreAfter(trainingJobId: string): string | null {
    return this.gradientStores.startAfter(this.jobs.get(trainingJobId));
  }

  /** The open workspace's devnet (the CLI's devnet commands drive it directly). */
  get chain(): DevnetService {
    return this.devnet;
  }

  /** The open workspace's playground serving (the /v1 endpoint and the playground view). */
  get playground(): PlaygroundService {
    return this.served;
  }

  /** Serves this base model folder instead of the playground.model setting. */
  setPlaygroundModel(dir: string): void {
    this.playgroundModel = dir;
    this.served.close();
    this.served = this.newPlayground(this.ws);
  }

  private newPlayground(ws: Workspace): PlaygroundService {
    return new PlaygroundService({
      db: () => ws.db,
      root: () => ws.layout.root,
      settings: () => readSettings(ws.db).playground,
      modelOverride: this.playgroundModel,
      readRegistry: registryFilesHashReader(devnetServiceExplorer(() => this.devnet), () => listNetworks(ws.db)),
    });
  }

  async close(): Promise<void> {
    // Before the jobs are cancelled: a story step cut by closing goes on at the next start.
    this.story.close();
    this.served.close();
    await this.devnet.close();
    await this.jobs.close();
    this.log.write('info', 'core', `Closed workspace ${this.ws.name}`);
    this.log.attachFile(null);
    this.ws.close();
  }

  private emit<E extends EventName>(event: E, data: EventPayload<E>): void {
    if (process.env.STUDIO_VALIDATE_EVENTS) eventSchemas[event].parse(data);
    for (const l of this.listeners) l(event, data);
  }

  private openWorkspace(name: string): void {
    const ws = this.manager.open(name, `studio ${this.opts.mode}`);
    this.ws = ws;
    this.log.attachFile(ws.layout.logs);
    const swept = new ArtifactStore(ws.layout.artifacts).sweepTemp();
    this.jobs = new JobRunner(ws.db, ws.layout.root, {
      onJob: (job) => {
        this.emit('job.updated', job);
        this.factory?.onJob(job);
        this.gradientStores?.onJob(job);
      },
      onLog: (level, message, jobId) => this.log.write(level, 'jobs', message, jobId),
      maxConcurrent: () => readSettings(ws.db).jobs.maxConcurrent,
    });
    this.gradientStores = new GradientStoreBuilds({ db: () => ws.db, jobs: () => this.jobs, log: (level, message) => this.log.write(level, 'attribution', message), automatic: this.opts.mode !== 'embedded' });
    this.factory = new FactoryService({ db: () => ws.db, runsDir: () => ws.layout.runs, jobs: () => this.jobs, emit: (e) => this.emit('factory.metrics', e) });
    const interrupted = this.jobs.recover();
    this.log.write('info', 'core', `Opened workspace ${name} at ${ws.layout.root}`);
    for (const job of interrupted) this.log.write('warn', 'jobs', `${job.title} was interrupted when Studio last stopped.`, job.id);
    if (swept > 0) this.log.write('warn', 'artifacts', `Removed ${swept} partial file(s) left by an interrupted write.`);
    this.emit('workspace.opened', workspaceInfo(ws.name, ws.layout.root, ws.db));
    this.devnet = new DevnetService(ws, {
      log: (level, message) => this.log.write(level, 'chain', message),
      status: (status) => this.emit('chain.status', status),
      block: (block) => this.emit('chain.block', block),
      chainLog: (log) => this.emit('chain.log', log),
      publication: (p) => this.emit('publication.updated', p),
    });
    this.publishing = new PublishingService(ws.db, this.devnet, (p) => this.emit('publication.updated', p));
    this.served = this.newPlayground(ws);
    // This workspace's parts, held: a story goes on in the workspace it began in.
    const { jobs, devnet, publishing } = this;
    this.story = new FirstStartStory({
      db: () => ws.db,
      jobs: () => jobs,
      playground: () => this.served,
      devnet: () => devnet,
      publishing: () => publishing,
      request: (method, params) => this.request(method, params),
      onJob: (listener) => this.onEvent((event, data) => event === 'job.updated' && listener(data as Job)),
      log: (level, message) => this.log.write(level, 'core', message),
    });
    // Keys sealed with a passphrase (serve mode, CLI). The Electron shell will hand in a
    // safeStorage backend from main/electron instead (see main/chain/keys/keyEncryptionBackend.ts).
    this.keys = new KeyStore(ws.db, ws.layout.keys, this.opts.keyBackend ?? new PassphraseKeystoreBackend());
    this.writes = new PreparedWriteService({
      db: ws.db,
      keys: this.keys,
      network: (name) => resolveNetwork(ws.db, this.devnet, name),
      devnetChainId: () => this.devnet.devnetChainId,
      announce: (p) => this.emit('publication.updated', p),
    });
    const auto = this.opts.devnet ?? (this.opts.mode === 'embedded' ? 'off' : 'auto');
    // In the background: the window and the API are usable while Anvil starts; failures are
    // logged and shown as the chain's 'error' status.
    if (auto === 'auto') void this.devnet.start().catch(() => {});
  }

  private createHandlers(): Handlers {
    return {
      'app.info': () => ({
        version: pkg.version,
        mode: this.opts.mode,
        platform: `${os.platform()}-${os.arch()}`,
        nodeVersion: process.versions.node,
        engine: engineStatus(),
        chain: chainStatus(this.devnet?.status()),
      }),
      'workspace.list': () => this.manager.list(),
      'workspace.current': () => workspaceInfo(this.ws.name, this.ws.layout.root, this.ws.db),
      'workspace.create': ({ name }) => {
        const created = this.manager.create(name);
        this.log.write('info', 'workspace', `Created workspace ${name}`);
        return created;
      },
      'workspace.open': async ({ name }) => {
        if (name === this.ws.name) return workspaceInfo(this.ws.name, this.ws.layout.root, this.ws.db);
        if (this.jobs.runningCount() > 0) {
          throw new StudioError(ErrorCode.Conflict, `Jobs are running in ${this.ws.name}; cancel them or wait before switching workspace.`);
        }
        // Check the target opens before letting go of the current one.
        const probe = this.manager.summary(name);
        if (probe.status !== 'ok') throw new StudioError(ErrorCode.Conflict, `Cannot open workspace ${name}: ${probe.statusDetail ?? probe.status}`);
        await this.close();
        this.openWorkspace(name);
        return workspaceInfo(this.ws.name, this.ws.layout.root, this.ws.db);
      },
      'settings.get': () => {
        const settings = readSettings(this.ws.db);
        return { settings, text: formatSettings(settings), jsonSchema: settingsJsonSchema };
      },
      'settings.update': ({ text }) => {
        const settings = parseSettingsText(text);
        writeSettings(this.ws.db, settings);
        this.emit('settings.changed', settings);
        this.devnet.settingsChanged(settings.chain);
        this.log.write('info', 'settings', 'Workspace settings saved.');
        return settings;
      },
      'jobs.list': ({ limit }) => this.jobs.list(limit),
      'jobs.get': ({ id }) => this.jobs.get(id),
      'jobs.start': ({ kind, params }) => this.jobs.start(kind, params),
      'jobs.cancel': ({ id }) => this.jobs.cancel(id),
      'artifacts.list': () => listArtifacts(this.ws.db),
      'artifacts.get': ({ sha256 }) => getArtifact(this.ws.db, sha256),
      'logs.recent': ({ limit }) => this.log.recent(limit),
      ...chainHandlers({ devnet: () => this.devnet, publishing: () => this.publishing, db: () => this.ws.db }),
      ...engineHandlers(),
      ...datanetHandlers({ db: () => this.ws.db, root: () => this.ws.layout.root, devnet: () => this.devnet, publishing: () => this.publishing }),
      ...adaptersHandlers({ db: () => this.ws.db, root: () => this.ws.layout.root, readRegistry: registryEntryReader(devnetServiceExplorer(() => this.devnet), () => listNetworks(this.ws.db)) }),
      ...factoryHandlers({ db: () => this.ws.db, pipelinesDir: () => this.ws.layout.pipelines, factory: () => this.factory, devnet: () => this.devnet, publishing: () => this.publishing }),
      ...networkHandlers({
        db: () => this.ws.db,
        devnet: () => this.devnet,
        keys: () => this.keys,
        writes: () => this.writes,
        announce: (p) => this.emit('publication.updated', p),
      }),
      ...governanceHandlers({ db: () => this.ws.db, devnet: () => this.devnet, keys: () => this.keys, writes: () => this.writes }),
      ...demoStoryHandlers({ db: () => this.ws.db }),
      ...settlementHandlers({
        db: () => this.ws.db,
        devnet: () => this.devnet,
        publishing: () => this.publishing,
        writes: () => this.writes,
        announce: (p) => this.emit('publication.updated', p),
      }),
      ...attributionHandlers({
        db: () => this.ws.db,
        root: () => this.ws.layout.root,
        playground: () => this.playground,
        gradientStores: () => this.gradientStores,
        // The threshold comes from the devnet's ProtocolParams when it runs, else the default.
        explorer: () => (this.devnet.running ? this.devnet.explorer() : null),
      }),
    };
  }
}

export type { MethodName };
