import { createStore } from 'zustand/vanilla';
import type { AdapterRecord, AdapterVerification } from '../../../main/api/adaptersSchemas';
import type { DemoStory } from '../../../main/api/demoStorySchemas';
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
  /** The first start's demo adapter, once trained: picked first, and the base column's datanet. */
  demoAdapter: string | null;
  /** Whether the first start's answer has been put on the page (once a session, on a fresh page). */
  demoShown: boolean;
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
  demoAdapter: null,
  demoShown: false,
  async load() {
    try {
      const [adapters, story] = await Promise.all([api().call('adapters.list', {}), api().call('demo.story', {})]);
      set({ adapters, loaded: true, demoAdapter: story.adapter });
      showDemoAnswer(story);
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
          if (attribution.enabled && completion !== '') void attribution.attribute(model, prompt, completion, model === BASE_MODEL ? baseDatanet(get()) : undefined);
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

/**
 * The first start's story on a page nobody has used yet: the demo adapter picked, and its first
 * attributed answer shown as if just run (its heatmap ready, "Attribute each answer" on). A page
 * where the user already picked or ran something is left as it is.
 */
function showDemoAnswer(story: DemoStory): void {
  const s = playgroundStore.getState();
  const untouched = !s.demoShown && s.columns.length === 0 && s.selected.length === 1 && s.selected[0] === BASE_MODEL;
  if (!untouched || !story.adapter) return;
  const answer = story.answers[0];
  if (!answer) {
    playgroundStore.setState({ selected: [story.adapter] });
    return;
  }
  playgroundStore.setState({
    demoShown: true,
    selected: [answer.model],
    prompt: answer.prompt,
    // Run again, the same settings give the same answer (greedy, the answer's length).
    sampling: { ...s.sampling, temperature: 0, maxTokens: answer.tokens.length },
    columns: [{ model: answer.model, tokens: answer.tokens, status: 'done', finish: 'length', error: null }],
  });
  attributionStore.getState().show(answer.model, answer.prompt, answer.completion, answer.attribution);
}

/**
 * The datanet the base column is attributed against: the base was trained on none of them, so it
 * borrows the lineage of an adapter beside it (the first selected one that has one), else the demo
 * adapter's; the heatmap then shows which of that datanet's records the base's answer echoes.
 * Undefined when no adapter has a lineage: the core says the base needs a datanet.
 */
export function baseDatanet(s: Pick<PlaygroundStore, 'adapters' | 'selected' | 'demoAdapter'>): string | undefined {
  const lineage = (name: string | null) => s.adapters.find((a) => a.name === name)?.datanet?.trim().split(/\s+/)[0];
  for (const m of s.selected) if (m !== BASE_MODEL && lineage(m)) return lineage(m);
  return lineage(s.demoAdapter);
}

/** Adapters whose name, targets or base match every word of the query. */
export function filterAdapters(adapters: AdapterRecord[], query: string): AdapterRecord[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return adapters.filter((a) => {
    const hay = `${a.name} ${a.source} ${a.targets.join(' ')} ${a.base.path ?? ''}`.toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}
