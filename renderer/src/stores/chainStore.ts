import { createStore } from 'zustand/vanilla';
import type { BlockSummary, ChainStatus } from '../../../main/api/chainSchemas';
import { api } from '../api/client';
import { reportError } from './toastStore';

/** How many recent blocks the Chain side bar keeps. */
export const RECENT_BLOCKS = 30;

export interface ChainStore {
  status: ChainStatus | null;
  blocks: BlockSummary[];
  loaded: boolean;
  /** The start or stop request in flight. */
  busy: 'start' | 'stop' | null;
  load(): Promise<void>;
  applyStatus(status: ChainStatus): void;
  applyBlock(block: BlockSummary): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Newest first, one entry per number, at most RECENT_BLOCKS. */
export function mergeBlocks(held: readonly BlockSummary[], incoming: readonly BlockSummary[]): BlockSummary[] {
  const byNumber = new Map(held.map((b) => [b.number, b]));
  for (const b of incoming) byNumber.set(b.number, b);
  return [...byNumber.values()].sort((a, b) => b.number - a.number).slice(0, RECENT_BLOCKS);
}

/** The open workspace's local devnet: live status and recent blocks from chain.* events. */
export const chainStore = createStore<ChainStore>()((set, get) => ({
  status: null,
  blocks: [],
  loaded: false,
  busy: null,

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
    const wasRunning = get().status?.running ?? false;
    set({ status, ...(status.running ? {} : { blocks: [] }) });
    if (status.running && !wasRunning) void get().load();
  },

  applyBlock(block) {
    set({ blocks: mergeBlocks(get().blocks, [block]) });
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
}));
