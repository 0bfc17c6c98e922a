import { createStore } from 'zustand/vanilla';
import type { BlockSummary, ChainStatus, SnapshotInfo } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { chainChangedUnder } from './chainStatus';
import { reportError, toastStore } from '../../workbench/toastStore';

/** How many recent blocks the Chain side bar keeps. */
export const RECENT_BLOCKS = 30;

export interface ChainStore {
  status: ChainStatus | null;
  blocks: BlockSummary[];
  loaded: boolean;
  /** The devnet request in flight. */
  busy: ChainBusy | null;
  /** The core's chain.snapshots, newest first: read again after every snapshot, revert, reset or
   * restart, since the core alone knows which ones Anvil still holds. */
  snapshots: SnapshotInfo[];
  /** Bumped when the chain changes under the explorer (reset, revert, restart): views read again. */
  epoch: number;
  load(): Promise<void>;
  loadSnapshots(): Promise<void>;
  applyStatus(status: ChainStatus): void;
  applyBlock(block: BlockSummary): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  snapshot(): Promise<void>;
  revert(id: string): Promise<void>;
  /** Empties the chain and redeploys; callers ask the user first (see commands). */
  reset(): Promise<void>;
}

export type ChainBusy = 'start' | 'stop' | 'snapshot' | 'revert' | 'reset';

/** Newest first, one entry per number, at most `max` (RECENT_BLOCKS). */
export function mergeBlocks(held: readonly BlockSummary[], incoming: readonly BlockSummary[], max = RECENT_BLOCKS): BlockSummary[] {
  const byNumber = new Map(held.map((b) => [b.number, b]));
  for (const b of incoming) byNumber.set(b.number, b);
  return [...byNumber.values()].sort((a, b) => b.number - a.number).slice(0, max);
}

/** The open workspace's local devnet: live status and recent blocks from chain.* events. */
export const chainStore = createStore<ChainStore>()((set, get) => ({
  status: null,
  blocks: [],
  loaded: false,
  busy: null,
  snapshots: [],
  epoch: 0,

  async load() {
    try {
      const status = await api().call('chain.status', {});
      const [blocks, snapshots] = status.running
        ? await Promise.all([api().call('chain.blocks', { limit: RECENT_BLOCKS }).then((page) => page.blocks), api().call('chain.snapshots', {})])
        : [[], []];
      set({ status, blocks: mergeBlocks([], blocks), snapshots, loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Reading the chain status');
    }
  },

  async loadSnapshots() {
    try {
      set({ snapshots: await api().call('chain.snapshots', {}) });
    } catch (err) {
      reportError(err, 'Listing the snapshots');
    }
  },

  applyStatus(status) {
    const before = get().status;
    const wasRunning = before?.running ?? false;
    // A restart or a redeploy (reset) forgets Anvil's snapshots: ask the core which are left.
    const changed = (before?.pid ?? null) !== status.pid || before?.deployment?.id !== status.deployment?.id;
    const epoch = chainChangedUnder(before, status) ? get().epoch + 1 : get().epoch;
    set({ status, epoch, ...(status.running ? {} : { blocks: [], snapshots: [] }) });
    if (status.running && !wasRunning) void get().load();
    else if (status.running && changed) void get().loadSnapshots();
  },

  applyBlock(block) {
    const status = get().status;
    // The head is the newest block announced; chain.status is only pushed when the state changes.
    set({ blocks: mergeBlocks(get().blocks, [block]), ...(status?.running ? { status: { ...status, block: block.number } } : {}) });
  },

  async start() {
    set({ busy: 'start' });
    try {
      get().applyStatus(await api().call('chain.start', {}));
    } catch (err) {
      reportError(err, 'Starting the devnet');
    } finally {
      set({ busy: null });
    }
  },

  async stop() {
    set({ busy: 'stop' });
    try {
      get().applyStatus(await api().call('chain.stop', {}));
    } catch (err) {
      reportError(err, 'Stopping the devnet');
    } finally {
      set({ busy: null });
    }
  },

  async snapshot() {
    set({ busy: 'snapshot' });
    try {
      const snap = await api().call('chain.snapshot', {});
      await get().loadSnapshots();
      toastStore.getState().show('info', `Took snapshot ${snap.id} at block #${snap.block}.`);
    } catch (err) {
      reportError(err, 'Taking a snapshot');
    } finally {
      set({ busy: null });
    }
  },

  async revert(id) {
    set({ busy: 'revert' });
    try {
      const status = await api().call('chain.revert', { id });
      get().applyStatus(status);
      // load() reads chain.snapshots: the core knows which ones the revert dropped.
      set({ epoch: get().epoch + 1, blocks: [] });
      await get().load();
      toastStore.getState().show('info', `Reverted the devnet to snapshot ${id}.`);
    } catch (err) {
      reportError(err, 'Reverting to a snapshot');
    } finally {
      set({ busy: null });
    }
  },

  async reset() {
    set({ busy: 'reset' });
    try {
      get().applyStatus(await api().call('chain.reset', {}));
      set({ snapshots: [], blocks: [], epoch: get().epoch + 1 });
      await get().load();
      toastStore.getState().show('info', 'Reset the devnet: the chain is empty and the protocol redeployed.');
    } catch (err) {
      reportError(err, 'Resetting the devnet');
    } finally {
      set({ busy: null });
    }
  },
}));
