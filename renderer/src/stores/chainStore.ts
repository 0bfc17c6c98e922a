import { createStore } from 'zustand/vanilla';
import type { BlockSummary, ChainStatus } from '../../../main/api/chainSchemas';
import { api } from '../api/client';
import { chainChangedUnder } from '../model/chainStatus';
import { reportError, toastStore } from './toastStore';

/** How many recent blocks the Chain side bar keeps. */
export const RECENT_BLOCKS = 30;

export interface ChainStore {
  status: ChainStatus | null;
  blocks: BlockSummary[];
  loaded: boolean;
  /** The devnet request in flight. */
  busy: ChainBusy | null;
  /** Snapshots taken from this window, newest first (Anvil forgets them on a restart). */
  snapshots: ChainSnapshot[];
  /** Bumped when the chain changes under the explorer (reset, revert, restart): views read again. */
  epoch: number;
  load(): Promise<void>;
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

export interface ChainSnapshot {
  id: string;
  /** The head when it was taken. */
  block: number | null;
  takenAt: string;
}

/** After a revert to `id`, it and every later snapshot are gone (Anvil's rule). */
export function snapshotsAfterRevert(held: readonly ChainSnapshot[], id: string): ChainSnapshot[] {
  const index = held.findIndex((s) => s.id === id);
  return index < 0 ? [...held] : held.slice(index + 1);
}

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
      const blocks = status.running ? (await api().call('chain.blocks', { limit: RECENT_BLOCKS })).blocks : [];
      set({ status, blocks: mergeBlocks([], blocks), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Reading the chain status');
    }
  },

  applyStatus(status) {
    const before = get().status;
    const wasRunning = before?.running ?? false;
    // A restart or a redeploy (reset) forgets Anvil's snapshots.
    const forget = !status.running || (before?.pid ?? null) !== status.pid || before?.deployment?.id !== status.deployment?.id;
    const epoch = chainChangedUnder(before, status) ? get().epoch + 1 : get().epoch;
    set({ status, epoch, ...(status.running ? {} : { blocks: [] }), ...(forget && get().busy !== 'revert' ? { snapshots: [] } : {}) });
    if (status.running && !wasRunning) void get().load();
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
      const { id } = await api().call('chain.snapshot', {});
      const snap: ChainSnapshot = { id, block: get().status?.block ?? null, takenAt: new Date().toISOString() };
      set({ snapshots: [snap, ...get().snapshots] });
      toastStore.getState().show('info', `Took snapshot ${id}${snap.block !== null ? ` at block #${snap.block}` : ''}.`);
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
      set({ snapshots: snapshotsAfterRevert(get().snapshots, id), epoch: get().epoch + 1, blocks: [] });
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
