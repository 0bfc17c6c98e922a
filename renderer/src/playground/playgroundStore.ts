import { createStore } from 'zustand/vanilla';
import type { AdapterRecord, AdapterVerification } from '../../../main/api/adaptersSchemas';
import { api } from '../api/client';
import { attributionStore } from '../attribution/attributionStore';
import { reportError } from '../workbench/toastStore';
import { type PlaygroundMode, remoteProblem, type RemoteEndpoint, type SamplingSettings, type StreamedToken, streamCompletion } from './playgroundApi';

export const BASE_MODEL = 'base';
export const MAX_COLUMNS = 4;
/** A selected model served by the remote endpoint is kept as "remote:MODEL". */
export const REMOTE_MODEL = 'remote:';
export const isRemoteModel = (m: string) => m.startsWith(REMOTE_MODEL);

export interface Column {
  model: string;
  tokens: StreamedToken[];
  status: 'idle' | 'streaming' | 'done' | 'stopped' | 'error';
  finish: string | null;
  error: string | null;
}

export interface PlaygroundStore {
  adapters: AdapterRecord[];
  /** Verified loading: each adapter's files against its ModelRegistry entry, by name. */
  verification: Record<string, AdapterVerification>;
  loaded: boolean;
  query: string;
  /** The models the prompt runs on, side by side: adapter names and/or the base. */
  selected: string[];
  prompt: string;
  mode: PlaygroundMode;
  /** The remote OpenAI-compatible endpoint's fields as typed, and why they cannot be used. */
  remote: RemoteEndpoint & { model: string };
  remoteError: string | null;
  sampling: SamplingSettings;
  colourByProbability: boolean;
  columns: Column[];
  load(): Promise<void>;
  setQuery(q: string): void;
  toggle(model: string): void;
  setPrompt(p: string): void;
  setMode(m: PlaygroundMode): void;
  setRemote(r: Partial<RemoteEndpoint & { model: string }>): void;
  /** Adds the remote model as a column (after checking the fields). */
  addRemote(): void;
  setSampling(s: Partial<SamplingSettings>): void;
  setColour(on: boolean): void;
  run(): void;
  stop(): void;
}

let controller: AbortController | null = null;

export const playgroundStore = createStore<PlaygroundStore>()((set, get) => ({
  adapters: [],
  verification: {},
  loaded: false,
  query: '',
  selected: [BASE_MODEL],
  prompt: 'The curators keep',
  mode: 'completion',
  remote: { baseUrl: '', key: '', model: '' },
  remoteError: null,
  sampling: { temperature: 0, topP: 1, maxTokens: 24, seed: 0 },
  colourByProbability: false,
  columns: [],
  async load() {
    try {
      set({ adapters: await api().call('adapters.list', {}), loaded: true });
    } catch (err) {
      set({ loaded: true });
      reportError(err, 'Listing adapters');
      return;
    }
    // Hashing published adapters' files and reading the chain takes a moment: the list shows first.
    try {
      const list = await api().call('adapters.verify', {});
      set({ verification: Object.fromEntries(list.map((v) => [v.name, v])) });
    } catch (err) {
      reportError(err, 'Verifying adapters against the ModelRegistry');
    }
  },
  setQuery: (query) => set({ query }),
  toggle(model) {
    const { selected } = get();
    if (selected.includes(model)) set({ selected: selected.filter((m) => m !== model) });
    else if (selected.length < MAX_COLUMNS) set({ selected: [...selected, model] });
  },
  setPrompt: (prompt) => set({ prompt }),
  setMode: (mode) => set({ mode }),
  setRemote: (r) => set({ remote: { ...get().remote, ...r }, remoteError: null }),
  addRemote() {
    const { remote, selected } = get();
    const problem = remoteProblem(remote.baseUrl, remote.model);
    if (problem) return set({ remoteError: problem });
    const id = `${REMOTE_MODEL}${remote.model.trim()}`;
    if (selected.includes(id)) return set({ remoteError: null });
    if (selected.length >= MAX_COLUMNS) return set({ remoteError: `At most ${MAX_COLUMNS} columns: untick one first.` });
    set({ selected: [...selected, id], remoteError: null });
  },
  setSampling: (s) => set({ sampling: { ...get().sampling, ...s } }),
  setColour: (colourByProbability) => set({ colourByProbability }),
  run() {
    get().stop();
    const { selected, prompt, sampling, mode, remote } = get();
    if (selected.length === 0 || prompt.trim() === '') return;
    const ctl = new AbortController();
    controller = ctl;
    set({ columns: selected.map((model) => ({ model, tokens: [], status: 'streaming', finish: null, error: null })) });
    attributionStore.getState().clear();
    const update = (i: number, f: (c: Column) => Partial<Column>) => set({ columns: get().columns.map((c, j) => (j === i ? { ...c, ...f(c) } : c)) });
    // Every column streams at once: the server batches them into one cohort.
    selected.forEach((model, i) => {
      const far = isRemoteModel(model);
      const request = { model: far ? model.slice(REMOTE_MODEL.length) : model, prompt, mode, ...sampling };
      streamCompletion(request, ctl.signal, (t) => update(i, (c) => ({ tokens: [...c.tokens, t] })), far ? { baseUrl: remote.baseUrl, key: remote.key } : undefined)
        .then((finish) => {
          update(i, () => ({ status: 'done', finish }));
          // Attribution reads this workspace's training records: a remote model's answer has none here.
          if (far) return;
          // With "Attribute" on, each finished answer is attributed to its training records.
          const attribution = attributionStore.getState();
          const completion = get().columns[i]!.tokens.map((t) => t.text).join('');
          if (attribution.enabled && completion !== '') void attribution.attribute(model, prompt, completion);
        })
        .catch((err: unknown) => {
          if (ctl.signal.aborted) update(i, () => ({ status: 'stopped' }));
          else update(i, () => ({ status: 'error', error: err instanceof Error ? err.message : String(err) }));
        });
    });
  },
  stop() {
    controller?.abort();
    controller = null;
  },
}));

/** Adapters whose name, targets or base match every word of the query. */
export function filterAdapters(adapters: AdapterRecord[], query: string): AdapterRecord[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return adapters.filter((a) => {
    const hay = `${a.name} ${a.source} ${a.targets.join(' ')} ${a.base.path ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
