// The open workspace's local devnet: starts (or adopts) Anvil with the workspace's chain settings
// and its state file in chain/, deploys the protocol on the first start, checks on every start
// and restart that the recorded contracts still have code (redeploying, loudly, when the state
// was lost), reconciles publications with the chain, and streams new blocks and protocol events.
import fs from 'node:fs';
import path from 'node:path';
import { StudioError } from '../../api/apiError';
import type { BlockSummary, ChainStatus, DecodedLog, Publication, SnapshotInfo } from '../../api/chainSchemas';
import type { LogEntry } from '../../api/schemas';
import { readSettings } from '../../workspace/settingsStore';
import type { Workspace } from '../../workspace/workspace';
import { AnvilStartError, type AnvilOptions } from './anvilProcess';
import { ChainErrorCode, chainNotRunning } from '../chainErrors';
import { ChainExplorer, summarizeBlock } from '../explorer/chainExplorer';
import { currentDeployment, recordDeployment, type Deployment } from './deploymentsRepository';
import { deployProtocol } from './deployProtocol';
import { blockNumber, resetChain, revertTo, snapshot } from './devnetControl';
import { isPidAlive, liveDevnet, readDevnetFile, removeDevnetFile, writeDevnetFile } from './devnetFile';
import { fundDemoAccounts } from './fundDemoAccounts';
import { reconcilePublications } from '../publishing/reconcilePublications';
import { snapshotsAfterRevert } from './snapshotsAfterRevert';
import { goodStatePath, keepGoodState } from './anvilStateFile';
import { startDetachedAnvil, stopPid } from './startDetachedAnvil';
import { superviseAnvil, type SupervisedAnvil } from './superviseAnvil';
import { throttleTrailing } from './throttleTrailing';

export interface DevnetEvents {
  log(level: LogEntry['level'], message: string): void;
  status(status: ChainStatus): void;
  block(block: BlockSummary): void;
  chainLog(log: DecodedLog): void;
  publication(p: Publication): void;
}

type ManagedBy = NonNullable<ChainStatus['managedBy']>;

/** Seconds between Anvil's state dumps: a kill -9 loses at most this much of the chain. */
export const STATE_INTERVAL_SECONDS = 1;
/** How often a watching Studio refreshes the kept copy of the last complete state dump. */
const KEEP_STATE_EVERY_MS = 5_000;
const WATCH_INTERVAL_MS = 500;
/** The most blocks announced per tick after a jump (anvil_mine of thousands of blocks). */
const MAX_BLOCK_EVENTS = 50;
/** A moving head re-announces chain.status at most this often (the status bar's block number). */
export const BLOCK_STATUS_INTERVAL_MS = 1_000;

export class DevnetService {
  private state: ChainStatus['state'] = 'stopped';
  private managedBy: ManagedBy | null = null;
  private supervised: SupervisedAnvil | undefined;
  private rpcUrl: string | null = null;
  private lastStateKept = 0;
  private pid: number | null = null;
  private chainId: number;
  /** The block time the running devnet was started with (settings may have changed since). */
  private blockTimeSeconds = 0;
  private lastBlock: number | null = null;
  private error: string | null = null;
  private restarts = 0;
  private deployment: Deployment | undefined;
  private watcher: NodeJS.Timeout | undefined;
  private ticking = false;
  private busy: Promise<unknown> = Promise.resolve();
  private explorerCache: ChainExplorer | undefined;
  private closed = false;
  /** Snapshots taken through snapshot(), newest first. Anvil holds them in memory only, so a
   * restart, stop or reset forgets them (Anvil would keep them across anvil_reset, but reverting
   * an emptied chain to a state from before it is no workflow we offer). */
  private snapshotList: SnapshotInfo[] = [];
  private readonly headStatus = throttleTrailing(() => {
    if (this.state === 'running') this.events.status(this.status());
  }, BLOCK_STATUS_INTERVAL_MS);

  constructor(
    private readonly ws: Workspace,
    private readonly events: DevnetEvents,
  ) {
    this.chainId = readSettings(ws.db).chain.chainId;
  }

  get statePath(): string {
    return path.join(this.ws.layout.chain, 'anvil-state.json');
  }

  get running(): boolean {
    return this.state === 'running';
  }

  status(): ChainStatus {
    const settings = readSettings(this.ws.db).chain;
    const chainId = this.state === 'stopped' ? settings.chainId : this.chainId;
    const deployment = this.deployment ?? currentDeployment(this.ws.db, chainId);
    return {
      state: this.state,
      running: this.state === 'running',
      rpcUrl: this.state === 'stopped' ? null : this.rpcUrl,
      chainId,
      block: this.state === 'running' ? this.lastBlock : null,
      contracts: deployment?.contracts ?? {},
      currencySymbol: settings.currencySymbol,
      blockTimeSeconds: this.state === 'stopped' ? settings.blockTimeSeconds : this.blockTimeSeconds,
      managedBy: this.state === 'stopped' ? null : this.managedBy,
      pid: this.state === 'stopped' ? null : this.pid,
      restarts: this.restarts,
      deployment: deployment ? { id: deployment.id, block: deployment.fromBlock, deployedAt: deployment.deployedAt, reason: deployment.reason } : null,
      error: this.error,
    };
  }

  /** Chain settings apply when the devnet (re)starts: say so instead of silently ignoring them. */
  settingsChanged(chain: { chainId: number; blockTimeSeconds: number }): void {
    if (this.state === 'stopped') return;
    if (chain.chainId !== this.chainId || chain.blockTimeSeconds !== this.blockTimeSeconds) {
      this.events.log('info', 'Chain settings changed; they apply when the devnet restarts (stop and start it).');
    }
  }

  /** The explorer for the running devnet; CHAIN_NOT_RUNNING otherwise. */
  explorer(): ChainExplorer {
    if (this.state !== 'running' || !this.rpcUrl || !this.deployment) {
      throw chainNotRunning(this.state === 'starting' ? ' yet (it is starting)' : this.state === 'error' ? ` (${this.error})` : '');
    }
    const c = this.explorerCache;
    if (c && c.target.rpcUrl === this.rpcUrl && c.target.contracts === this.deployment.contracts) return c;
    return (this.explorerCache = new ChainExplorer({ rpcUrl: this.rpcUrl, chainId: this.chainId, contracts: this.deployment.contracts }));
  }

  get devnetChainId(): number {
    return this.chainId;
  }

  /**
   * Starts the devnet, or adopts one already running for this workspace (chain/devnet.json with
   * a live pid and the right chain id). `detached` (the CLI's `devnet start`) leaves Anvil running
   * after this process exits; otherwise Anvil is this process's supervised child.
   */
  start(opts: { detached?: boolean; adoptOnly?: boolean } = {}): Promise<ChainStatus> {
    return this.serial(async () => {
      if (this.state === 'running') return this.status();
      await this.doStart(!!opts.detached, !!opts.adoptOnly);
      return this.status();
    });
  }

  /** Stops the devnet: ours, adopted or detached (a running devnet.json one even if not started here). */
  stop(): Promise<ChainStatus> {
    return this.serial(async () => {
      this.stopWatcher();
      let wasRunning = this.state !== 'stopped';
      if (this.supervised) {
        await this.supervised.stop();
        this.supervised = undefined;
      } else {
        // Not started here: a devnet left by `studio devnet start` (or a crashed app) is stopped too.
        // The recorded pid counts only if its RPC still answers as our chain: a pid reused by an
        // unrelated process after Anvil died must never be signalled.
        const pid = this.pid ?? (await liveDevnet(this.ws.layout.chain, this.chainId))?.pid;
        if (pid !== undefined && pid !== null && isPidAlive(pid)) {
          await stopPid(pid);
          wasRunning = true;
        }
      }
      removeDevnetFile(this.ws.layout.chain);
      if (wasRunning) this.events.log('info', 'Stopped the local devnet (its state is saved in the workspace).');
      this.setStopped();
      this.events.status(this.status());
      return this.status();
    });
  }

  /** App shutdown: a child Anvil stops with us; a detached or adopted one keeps running. */
  async close(): Promise<void> {
    this.closed = true;
    await this.busy.catch(() => {});
    this.stopWatcher();
    if (this.supervised) {
      const pid = this.supervised.current.pid;
      await this.supervised.stop();
      this.supervised = undefined;
      removeDevnetFile(this.ws.layout.chain, pid);
    }
    this.setStopped();
  }

  /** Takes an in-memory snapshot and lists it (snapshots()) with the head it was taken at. */
  snapshot(label?: string): Promise<SnapshotInfo> {
    return this.serial(async () => {
      this.explorer();
      const id = await snapshot(this.rpcUrl!);
      const block = Number(await blockNumber(this.rpcUrl!));
      const taken: SnapshotInfo = { id, block, takenAt: new Date().toISOString(), ...(label !== undefined ? { label } : {}) };
      this.snapshotList = [taken, ...this.snapshotList];
      return taken;
    });
  }

  /** Snapshots taken here that Anvil still holds, newest first; CHAIN_NOT_RUNNING when stopped. */
  snapshots(): SnapshotInfo[] {
    this.explorer();
    return [...this.snapshotList];
  }

  revert(id: string): Promise<ChainStatus> {
    return this.serial(async () => {
      this.explorer();
      // Anvil's ids are hex numbers; anything else would come back as a serde message
      // ("data did not match any variant of untagged enum NumericSeq").
      const shown = JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id);
      if (!/^0x[0-9a-fA-F]{1,64}$/.test(id)) {
        throw new StudioError('NOT_FOUND', `No snapshot ${shown}: snapshot ids are hex numbers like 0x1, as "studio devnet snapshot" prints them.`, { id });
      }
      try {
        await revertTo(this.rpcUrl!, id);
      } catch (err) {
        // Anvil no longer has it (a revert past it elsewhere): stop listing it.
        this.snapshotList = this.snapshotList.filter((s) => s.id !== id);
        throw new StudioError('NOT_FOUND', `No snapshot ${shown} on the devnet: a revert to an earlier one, a reset or a restart drops snapshots.`, { id, reason: (err as Error).message });
      }
      this.snapshotList = snapshotsAfterRevert(this.snapshotList, id);
      this.events.log('info', `Reverted the devnet to snapshot ${id}.`);
      await this.afterChainChanged('the devnet was reverted to a snapshot');
      return this.status();
    });
  }

  /** Back to genesis, protocol redeployed; publications on the old chain become 'lost'. */
  reset(): Promise<ChainStatus> {
    return this.serial(async () => {
      this.explorer();
      await resetChain(this.rpcUrl!);
      this.snapshotList = [];
      this.events.log('warn', 'Reset the devnet to an empty chain; redeploying the protocol.');
      await this.deploy('reset');
      await this.afterChainChanged('the devnet was reset');
      return this.status();
    });
  }

  /** Deploys the protocol again (`studio chain deploy`): the new addresses become current. */
  redeploy(): Promise<ChainStatus> {
    return this.serial(async () => {
      this.explorer();
      await this.deploy('deploy requested');
      this.lastBlock = Number(await blockNumber(this.rpcUrl!));
      this.events.status(this.status());
      return this.status();
    });
  }

  /** Runs `fn` after every earlier start/stop/reset finished: they must not interleave. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.busy.then(fn, fn);
    this.busy = next.catch(() => {});
    return next;
  }

  private anvilOptions(): AnvilOptions {
    const s = readSettings(this.ws.db).chain;
    return {
      chainId: s.chainId,
      blockTime: s.blockTimeSeconds === 0 ? 'auto' : s.blockTimeSeconds,
      statePath: this.statePath,
      stateIntervalSeconds: STATE_INTERVAL_SECONDS,
      // A child devnet ends with the app, even a killed one; `devnet start` detaches on purpose.
      stopWithParent: true,
      onStateRepair: (r) => {
        if (r.action === 'restored') {
          this.events.log('warn', `The devnet's state file was cut short by a kill during a dump (kept as ${path.basename(r.setAside)}); restarted from the last complete copy, ${path.basename(goodStatePath(this.statePath))}.`);
        } else if (r.action === 'unrecoverable') {
          this.events.log('warn', `The devnet's state file was damaged and no complete copy exists; it is kept as ${path.basename(r.setAside)} and the chain starts empty.`);
        }
      },
    };
  }

  private async doStart(detached: boolean, adoptOnly: boolean): Promise<void> {
    const chainDir = this.ws.layout.chain;
    const settings = readSettings(this.ws.db).chain;
    this.chainId = settings.chainId;
    this.blockTimeSeconds = settings.blockTimeSeconds;
    if (adoptOnly && !(await liveDevnet(chainDir, this.chainId))) throw chainNotRunning();
    this.state = 'starting';
    this.error = null;
    this.snapshotList = [];
    this.events.status(this.status());
    try {
      let live = await liveDevnet(chainDir, this.chainId);
      if (live && live.mode === 'child' && live.ownerPid !== process.pid && !isPidAlive(live.ownerPid)) {
        // The child of a Studio process that died without stopping it (kill -9, crash): nobody
        // supervises it. Stop it (SIGTERM saves its state) and start one that is ours.
        this.events.log('warn', `Found the devnet (pid ${live.pid}) of a Studio process that ended without stopping it; restarting it from its saved state.`);
        await stopPid(live.pid);
        removeDevnetFile(chainDir, live.pid);
        live = undefined;
      }
      if (live) {
        this.managedBy = live.mode === 'detached' && detached ? 'detached' : 'adopted';
        this.rpcUrl = live.rpcUrl;
        this.pid = live.pid;
        this.events.log('info', `Using the devnet already running at ${live.rpcUrl} (pid ${live.pid}, chain ${this.chainId}).`);
      } else {
        const stale = readDevnetFile(chainDir);
        if (stale) {
          const why = isPidAlive(stale.pid) ? `pid ${stale.pid} at ${stale.rpcUrl} does not answer as chain ${this.chainId}` : `pid ${stale.pid} is gone`;
          this.events.log('warn', `Ignoring the devnet recorded in ${path.basename(chainDir)}/devnet.json: ${why}. Starting a new one from the saved state.`);
          removeDevnetFile(chainDir);
        }
        await this.launch(detached);
      }
      await this.ensureProtocol();
      await this.reconcile('the devnet started');
      this.lastBlock = Number(await blockNumber(this.rpcUrl!));
      this.state = 'running';
      this.events.log('info', `Devnet running at ${this.rpcUrl} (chain ${this.chainId}, block ${this.lastBlock}).`);
      this.events.status(this.status());
      if (!this.closed) this.startWatcher();
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.events.log('error', `The devnet did not start: ${message}`);
      if (this.supervised) await this.supervised.stop().catch(() => {});
      else if (this.managedBy === 'detached' && this.pid) await stopPid(this.pid).catch(() => {});
      if (this.managedBy !== 'adopted') removeDevnetFile(chainDir, this.pid ?? undefined);
      this.supervised = undefined;
      this.setStopped();
      this.state = 'error';
      this.error = message;
      this.events.status(this.status());
      if (err instanceof StudioError) throw err;
      throw new StudioError(ChainErrorCode.StartFailed, `The devnet did not start: ${message}`, err instanceof AnvilStartError ? err.details : undefined);
    }
  }

  /** Starts Anvil (child or detached); an unreadable state file is set aside, never deleted. */
  private async launch(detached: boolean, port = 0): Promise<void> {
    const attempt = async () => {
      const options = { ...this.anvilOptions(), port };
      if (detached) {
        const d = await startDetachedAnvil({ ...options, logPath: path.join(this.ws.layout.chain, 'anvil.log') });
        this.managedBy = 'detached';
        this.rpcUrl = d.rpcUrl;
        this.pid = d.pid;
        this.writeFile('detached', d.port);
      } else {
        this.supervised = await superviseAnvil(options, {
          onRestart: (next, exit) => void this.onRestart(next.rpcUrl, next.pid, next.port, exit.signal ?? `code ${exit.code}`),
          onGiveUp: (err) => this.onGiveUp(err),
        });
        this.managedBy = 'child';
        this.rpcUrl = this.supervised.current.rpcUrl;
        this.pid = this.supervised.current.pid;
        this.writeFile('child', this.supervised.current.port);
      }
    };
    try {
      await attempt();
    } catch (err) {
      if (!(err instanceof AnvilStartError) || !fs.existsSync(this.statePath)) throw err;
      const aside = `${this.statePath}.unreadable-${Date.now()}`;
      fs.renameSync(this.statePath, aside);
      // Anvil refused a complete file (another version's format?): its kept copy would fail the
      // same way, so it goes aside too rather than be restored on the next attempt.
      const good = goodStatePath(this.statePath);
      if (fs.existsSync(good)) fs.renameSync(good, `${aside}.good`);
      this.events.log('warn', `Anvil could not load its saved state; moved it to ${path.basename(aside)} and starting an empty chain (the protocol will be redeployed).`);
      await attempt();
    }
  }

  private writeFile(mode: 'detached' | 'child', port: number): void {
    writeDevnetFile(this.ws.layout.chain, {
      pid: this.pid!,
      port,
      rpcUrl: this.rpcUrl!,
      chainId: this.chainId,
      mode,
      ownerPid: process.pid,
      statePath: this.statePath,
      startedAt: new Date().toISOString(),
    });
  }

  private async onRestart(rpcUrl: string, pid: number, port: number, why: string): Promise<void> {
    this.restarts += 1;
    this.rpcUrl = rpcUrl;
    this.pid = pid;
    this.snapshotList = [];
    this.writeFile('child', port);
    this.events.log('warn', `Anvil exited unexpectedly (${why}); restarted it from its saved state at ${rpcUrl}.`);
    // Not 'running' again until the contracts are checked and publications reconciled.
    this.state = 'starting';
    this.events.status(this.status());
    await this.serial(async () => {
      try {
        await this.afterChainChanged('Anvil restarted');
        if (this.state === 'starting') this.state = 'running';
      } catch (err) {
        this.state = 'error';
        this.error = `After the devnet restarted, checking it failed: ${(err as Error).message}`;
        this.events.log('error', this.error);
      }
      this.events.status(this.status());
    });
  }

  private onGiveUp(err: unknown): void {
    this.stopWatcher();
    this.supervised = undefined;
    this.state = 'error';
    this.error = `Anvil keeps failing to restart: ${(err as Error).message ?? String(err)}`;
    this.events.log('error', this.error);
    removeDevnetFile(this.ws.layout.chain);
    this.events.status(this.status());
  }

  /** After a restart, revert or reset: check the contracts, reconcile, announce. */
  private async afterChainChanged(why: string): Promise<void> {
    await this.ensureProtocol();
    await this.reconcile(why);
    this.lastBlock = Number(await blockNumber(this.rpcUrl!));
    this.events.status(this.status());
  }

  /** First start: deploy. Later: the recorded contracts must still have code, else redeploy. */
  private async ensureProtocol(): Promise<void> {
    const recorded = currentDeployment(this.ws.db, this.chainId);
    if (!recorded) {
      await this.deploy('first start');
      return;
    }
    const explorer = new ChainExplorer({ rpcUrl: this.rpcUrl!, chainId: this.chainId, contracts: recorded.contracts });
    const missing: string[] = [];
    for (const [name, address] of Object.entries(recorded.contracts)) {
      const code = await explorer.client.getCode({ address });
      if (!code || code === '0x') missing.push(name);
    }
    if (missing.length === 0) {
      this.deployment = recorded;
      return;
    }
    this.events.log(
      'warn',
      `The devnet's state no longer holds the protocol deployed on ${recorded.deployedAt} (no code at the recorded address of ${missing.join(', ')}): ` +
        'its state was lost or reset. Redeploying; publications made on the old state will show as lost.',
    );
    await this.deploy('state lost');
  }

  private async deploy(reason: string): Promise<void> {
    const started = performance.now();
    const result = await deployProtocol({ rpcUrl: this.rpcUrl!, devnetChainId: this.chainId });
    await fundDemoAccounts({ rpcUrl: this.rpcUrl!, devnetChainId: this.chainId, wrappedOpen: result.addresses.WrappedOpen });
    this.deployment = recordDeployment(this.ws.db, {
      chainId: this.chainId,
      deployer: result.deployer,
      fromBlock: result.fromBlock,
      gasUsed: result.gasUsed,
      reason,
      contracts: result.addresses,
    });
    this.events.log(
      'info',
      `Deployed the protocol on chain ${this.chainId} (${reason}) in ${Math.round(performance.now() - started)} ms: ` +
        Object.entries(result.addresses)
          .map(([n, a]) => `${n} ${a}`)
          .join(', '),
    );
  }

  private async reconcile(why: string): Promise<void> {
    const explorer = new ChainExplorer({ rpcUrl: this.rpcUrl!, chainId: this.chainId, contracts: this.deployment?.contracts ?? {} });
    const changed = await reconcilePublications(this.ws.db, explorer.client, this.chainId, why);
    for (const p of changed) {
      if (p.status === 'lost') this.events.log('warn', `Publication "${p.title}" (${p.txHash}) is no longer on the devnet (${why}): it is shown as unpublished.`);
      this.events.publication(p);
    }
  }

  private startWatcher(): void {
    this.stopWatcher();
    this.watcher = setInterval(() => void this.tick(), WATCH_INTERVAL_MS);
    this.watcher.unref();
  }

  private stopWatcher(): void {
    if (this.watcher) clearInterval(this.watcher);
    this.watcher = undefined;
    this.headStatus.cancel();
  }

  private async tick(): Promise<void> {
    if (this.ticking || this.state !== 'running' || !this.rpcUrl) return;
    this.ticking = true;
    // Anvil rewrites its state file in place: keep the last complete dump beside it, so a kill
    // in the middle of a write costs seconds of chain, never the chain (anvilStateFile.ts).
    if (Date.now() - this.lastStateKept >= KEEP_STATE_EVERY_MS) {
      this.lastStateKept = Date.now();
      keepGoodState(this.statePath);
    }
    try {
      const explorer = this.explorer();
      const head = await explorer.blockNumber();
      const last = this.lastBlock;
      if (last === null || head < last) {
        // The head went back: a revert or reset (here, or `studio devnet revert` elsewhere).
        this.lastBlock = head;
        if (last !== null) this.headStatus.call();
        return;
      }
      if (head === last) return;
      // Fetch everything first, then advance the head and announce with no await in between: a
      // chain.status pushed meanwhile never carries an older block than one already announced
      // (the renderer would read that as a revert and mark its lists stale), and a failed fetch
      // leaves the head where it was, so the next tick retries the whole range.
      const blocks = [];
      for (let n = Math.max(last + 1, head - MAX_BLOCK_EVENTS + 1); n <= head; n++) {
        blocks.push(summarizeBlock(await explorer.client.getBlock({ blockNumber: BigInt(n) })));
      }
      const logs = await explorer.logs({ fromBlock: last + 1, toBlock: head });
      this.lastBlock = head;
      for (const block of blocks) this.events.block(block);
      for (const log of logs) this.events.chainLog(log);
      this.headStatus.call();
    } catch {
      // A child Anvil is brought back by its supervisor. An adopted or detached one has no
      // supervisor here: if its process is gone, this process takes over from the saved state.
      if (this.managedBy !== 'child' && this.pid !== null && !isPidAlive(this.pid) && !this.closed) await this.takeOver();
    } finally {
      this.ticking = false;
    }
  }

  private takeOver(): Promise<void> {
    return this.serial(async () => {
      if (this.state !== 'running' || this.managedBy === 'child') return;
      const port = this.rpcUrl ? Number(new URL(this.rpcUrl).port) : 0;
      this.events.log('warn', `The devnet process (pid ${this.pid}) is gone; starting one owned by Studio from its saved state.`);
      this.stopWatcher();
      this.restarts += 1;
      this.snapshotList = [];
      this.state = 'starting';
      this.events.status(this.status());
      try {
        await this.launch(false, port).catch(() => this.launch(false, 0));
        await this.afterChainChanged('the devnet process died');
        this.state = 'running';
        this.events.status(this.status());
        this.startWatcher();
      } catch (err) {
        this.onGiveUp(err);
      }
    });
  }

  private setStopped(): void {
    this.state = 'stopped';
    this.managedBy = null;
    this.rpcUrl = null;
    this.pid = null;
    this.lastBlock = null;
    this.explorerCache = undefined;
    this.snapshotList = [];
  }
}
