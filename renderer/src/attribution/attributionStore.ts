import { createStore } from 'zustand/vanilla';
import type { ResponseAttribution } from '../../../main/api/attributionSchemas';
import type { DatanetRecord } from '../../../main/api/datanetSchemas';
import { api } from '../api/client';
import { attributeCompletion } from './attributionApi';

/** One playground column's attribution: asked once its completion finished streaming. */
export interface AttributionRun {
  status: 'running' | 'done' | 'error';
  prompt: string;
  completion: string;
  result: ResponseAttribution | null;
  error: string | null;
}

/** A record as the evidence panel shows it: read from its datanet by source id. */
export type RecordLookup = { status: 'loading' } | { status: 'found'; record: DatanetRecord } | { status: 'missing'; message: string };

export type HeatmapMode = 'strength' | 'contributor';

export interface AttributionStore {
  /** The playground's "Attribute" switch: each finished completion is attributed. */
  enabled: boolean;
  mode: HeatmapMode;
  /** By playground column (its model name). */
  runs: Record<string, AttributionRun>;
  /** The token whose evidence is open, in which column. */
  selected: { model: string; token: number } | null;
  /** The column shown full screen in presenter mode, or null. */
  presenter: string | null;
  /** `datanet/sourceId` → the record, read on first show. */
  records: Record<string, RecordLookup>;
  setEnabled(on: boolean): void;
  setMode(mode: HeatmapMode): void;
  /** Forgets every column's attribution (a new run starts). */
  clear(): void;
  /** Asks the core for one completion's attribution (`attribution.attribute`); `datanet` for a
   * model without lineage (the base). */
  attribute(model: string, prompt: string, completion: string, datanet?: string): Promise<void>;
  /** Shows an attribution already made (the first start's demo answer), with the switch on. */
  show(model: string, prompt: string, completion: string, result: ResponseAttribution): void;
  select(model: string, token: number | null): void;
  openPresenter(model: string): void;
  closePresenter(): void;
  loadRecord(datanet: string, sourceId: string): void;
}

export const recordKey = (datanet: string, sourceId: string) => `${datanet}/${sourceId}`;

export const attributionStore = createStore<AttributionStore>()((set, get) => ({
  enabled: false,
  mode: 'strength',
  runs: {},
  selected: null,
  presenter: null,
  records: {},
  setEnabled: (enabled) => set({ enabled }),
  setMode: (mode) => set({ mode }),
  clear: () => set({ runs: {}, selected: null, presenter: null }),
  show(model, prompt, completion, result) {
    set({ enabled: true, runs: { ...get().runs, [model]: { status: 'done', prompt, completion, result, error: null } } });
    const first = result.tokens.findIndex((t) => t.attribution.records.length > 0);
    if (first >= 0 && get().selected === null) set({ selected: { model, token: first } });
  },
  async attribute(model, prompt, completion, datanet) {
    const run = (r: Partial<AttributionRun>) => set({ runs: { ...get().runs, [model]: { ...get().runs[model]!, ...r } } });
    set({ runs: { ...get().runs, [model]: { status: 'running', prompt, completion, result: null, error: null } } });
    try {
      const result = await attributeCompletion({ model, prompt, completion, ...(datanet ? { datanet } : {}) });
      // A newer run of the same column replaced this one while it was computed: drop it.
      if (get().runs[model]?.completion !== completion) return;
      run({ status: 'done', result });
      // The first token with evidence opens, so the panel is never empty on a good answer.
      const first = result.tokens.findIndex((t) => t.attribution.records.length > 0);
      if (first >= 0 && get().selected === null) set({ selected: { model, token: first } });
    } catch (err) {
      if (get().runs[model]?.completion !== completion) return;
      run({ status: 'error', error: err instanceof Error ? err.message : String(err) });
    }
  },
  select: (model, token) => set({ selected: token === null ? null : { model, token } }),
  openPresenter(model) {
    const run = get().runs[model];
    if (!run?.result) return;
    const sel = get().selected;
    if (sel?.model !== model) set({ selected: { model, token: Math.max(0, run.result.tokens.findIndex((t) => t.attribution.records.length > 0)) } });
    set({ presenter: model });
  },
  closePresenter: () => set({ presenter: null }),
  loadRecord(datanet, sourceId) {
    const key = recordKey(datanet, sourceId);
    if (get().records[key]) return;
    const put = (r: RecordLookup) => set({ records: { ...get().records, [key]: r } });
    put({ status: 'loading' });
    api()
      .call('datanets.records', { datanet, filter: `source:${sourceId}`, limit: 1 })
      .then((page) => {
        const record = page.records[0];
        put(record ? { status: 'found', record } : { status: 'missing', message: `No record ${sourceId} in ${datanet} now (it may have been removed since the version was frozen).` });
      })
      .catch((err: unknown) => put({ status: 'missing', message: err instanceof Error ? err.message : String(err) }));
  },
}));
