import { createStore } from 'zustand/vanilla';
import type { DecodedLog } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { reportError } from '../../workbench/toastStore';

/** The most events the feed holds; older ones fall off the end. */
export const MAX_FEED_EVENTS = 500;
/** How many past events the feed starts with (chain.logs, newest). */
const BACKFILL = 100;

export interface ChainEventsStore {
  /** Newest first. */
  events: DecodedLog[];
  /** Paused: new events wait in `held` and the list stands still. */
  paused: boolean;
  held: DecodedLog[];
  /** The chain changed while paused: the shown list is out of date and is replaced on resume. */
  stale: boolean;
  loaded: boolean;
  loading: boolean;
  /** The past events, once per devnet (again after a reset, revert or restart). */
  load(): Promise<void>;
  append(log: DecodedLog): void;
  togglePause(): void;
  clear(): void;
  /** The chain changed under the feed (reset, revert): it is read again when next shown. */
  invalidate(): void;
}

const eventKey = (e: DecodedLog) => `${e.transactionHash}:${e.logIndex}`;

/** Newest first (block, then log index), one entry per (tx, logIndex), at most `max`. */
export function mergeEvents(held: readonly DecodedLog[], incoming: readonly DecodedLog[], max = MAX_FEED_EVENTS): DecodedLog[] {
  const byKey = new Map(held.map((e) => [eventKey(e), e]));
  for (const e of incoming) byKey.set(eventKey(e), e);
  return [...byKey.values()].sort((a, b) => b.blockNumber - a.blockNumber || b.logIndex - a.logIndex).slice(0, max);
}

/**
 * Where past events read by `load` go. While paused the list stands still: events it does not
 * show yet (e.g. mined since the pause and read back after the chain changed) wait in `held`.
 */
export function placePastEvents(state: Pick<ChainEventsStore, 'events' | 'held' | 'paused' | 'stale'>, past: readonly DecodedLog[]): Pick<ChainEventsStore, 'events' | 'held'> {
  if (!state.paused) return { events: mergeEvents(state.events, past), held: state.held };
  const shown = new Set(state.stale ? [] : state.events.map(eventKey));
  return { events: state.events, held: mergeEvents(state.held, past.filter((e) => !shown.has(eventKey(e)))) };
}

/** The live feed of decoded protocol events (chain.log), with pause and clear. */
export const chainEventsStore = createStore<ChainEventsStore>()((set, get) => ({
  events: [],
  paused: false,
  held: [],
  stale: false,
  loaded: false,
  loading: false,

  async load() {
    if (get().loading) return;
    set({ loading: true });
    try {
      const past = await api().call('chain.logs', { limit: BACKFILL });
      set({ ...placePastEvents(get(), past), loaded: true, loading: false });
    } catch (err) {
      set({ loading: false, loaded: true });
      reportError(err, 'Reading protocol events');
    }
  },

  append(log) {
    if (get().paused) set({ held: mergeEvents(get().held, [log]) });
    else set({ events: mergeEvents(get().events, [log]) });
  },

  togglePause() {
    if (get().paused) set({ paused: false, events: mergeEvents(get().stale ? [] : get().events, get().held), held: [], stale: false });
    else set({ paused: true });
  },

  clear() {
    set({ events: [], held: [], stale: false });
  },

  invalidate() {
    // A paused list stands still; what the chain holds now is read into `held` for the resume.
    if (get().paused) set({ held: [], stale: true, loaded: false });
    else set({ events: [], held: [], loaded: false });
  },
}));
