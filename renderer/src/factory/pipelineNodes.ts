import type { PipelineNode } from './factoryTypes';

/** A field the inspector edits: its path inside the node's section and how it is typed. */
export type FieldSpec = FieldShown &
  (
  | { key: string; label: string; kind: 'number'; step?: number; min?: number; placeholder?: string; hint?: string }
  | { key: string; label: string; kind: 'text'; placeholder?: string; hint?: string; multiline?: boolean }
  | { key: string; label: string; kind: 'select'; options: readonly string[]; hint?: string }
  | { key: string; label: string; kind: 'bool'; hint?: string; /** The schema's default, shown while the field is absent. */ fallback: boolean }
  /** A list of short strings, written comma-separated (targets) or one per line (prompts). */
  | { key: string; label: string; kind: 'list'; separator: ',' | '\n'; placeholder?: string; hint?: string }
  );

interface FieldShown {
  /** Shown only when the section's other settings make it mean something (a template for kind 'instruction'); a field set anyway is always shown. */
  when?: (section: Record<string, unknown>) => boolean;
}

const promptFormats = (s: Record<string, unknown>) => s.kind === 'instruction' || s.kind === 'chat';

export interface NodeSpec {
  id: PipelineNode;
  title: string;
  icon: string;
  fields: readonly FieldSpec[];
  /** One line the graph shows under the title, from the node's section (already parsed). */
  summary(section: Record<string, unknown>): string;
}

const str = (v: unknown, fallback = '—') => (v === undefined || v === null || v === '' ? fallback : String(v));

/**
 * The graph's nodes, in the pipeline's fixed order: each is one top-level section of the file
 * (main/api/pipelineSchemas.ts). The order is the chain; edges are implied, never written.
 */
export const NODE_SPECS: readonly NodeSpec[] = [
  {
    id: 'datanet',
    title: 'Datanet version',
    icon: 'database',
    fields: [
      { key: 'name', label: 'Datanet', kind: 'text', placeholder: 'my-datanet' },
      { key: 'version', label: 'Version', kind: 'number', min: 1, placeholder: 'latest' },
    ],
    summary: (s) => `${str(s.name)} @ ${s.version === undefined ? 'latest' : `v${str(s.version)}`}`,
  },
  {
    id: 'split',
    title: 'Split',
    icon: 'split-horizontal',
    fields: [
      { key: 'evalFraction', label: 'Eval fraction', kind: 'number', step: 0.05, min: 0, placeholder: '0.1' },
      { key: 'by', label: 'Split by', kind: 'select', options: ['random', 'contributor'] },
      { key: 'seed', label: 'Seed', kind: 'number', min: 0, placeholder: '0' },
    ],
    summary: (s) => `eval ${str(s.evalFraction, '0.1')} · ${str(s.by, 'random')} · seed ${str(s.seed, '0')}`,
  },
  {
    id: 'format',
    title: 'Format',
    icon: 'symbol-text',
    fields: [
      { key: 'kind', label: 'Kind', kind: 'select', options: ['text', 'instruction', 'chat'] },
      { key: 'template', label: 'Template', kind: 'text', multiline: true, when: (s) => s.kind === 'instruction', placeholder: '### Instruction:\\n{prompt}\\n\\n### Response:\\n' },
      { key: 'responseOnlyLoss', label: 'Loss on response only', kind: 'bool', fallback: true, when: promptFormats },
    ],
    summary: (s) => `${str(s.kind, 'text')}${s.responseOnlyLoss === false ? '' : str(s.kind, 'text') === 'text' ? '' : ' · response-only loss'}`,
  },
  {
    id: 'model',
    title: 'Base model',
    icon: 'circuit-board',
    fields: [{ key: 'base', label: 'Base', kind: 'text', placeholder: 'default', hint: "'default' or a local Hugging Face folder" }],
    summary: (s) => str(s.base, 'default'),
  },
  {
    id: 'lora',
    title: 'LoRA',
    icon: 'layers',
    fields: [
      { key: 'targets', label: 'Targets', kind: 'list', separator: ',', placeholder: 'q, v' },
      { key: 'rank', label: 'Rank', kind: 'number', min: 1, placeholder: '8' },
      { key: 'alpha', label: 'Alpha', kind: 'number', min: 0, placeholder: '16' },
      { key: 'dropout', label: 'Dropout', kind: 'number', step: 0.05, min: 0, placeholder: '0' },
      { key: 'rslora', label: 'rsLoRA', kind: 'bool', fallback: false },
    ],
    summary: (s) => `r${str(s.rank, '8')} α${str(s.alpha, '16')} · ${Array.isArray(s.targets) ? s.targets.join(',') : 'default targets'}`,
  },
  {
    id: 'train',
    title: 'Train',
    icon: 'flame',
    fields: [
      { key: 'steps', label: 'Steps', kind: 'number', min: 1 },
      { key: 'epochs', label: 'Epochs', kind: 'number', min: 0, step: 0.5 },
      { key: 'lr', label: 'Learning rate', kind: 'number', step: 0.0001, min: 0, placeholder: '0.0002' },
      { key: 'schedule', label: 'Schedule', kind: 'select', options: ['constant', 'linear', 'cosine'] },
      { key: 'warmup', label: 'Warmup steps', kind: 'number', min: 0, placeholder: '0' },
      { key: 'batch', label: 'Batch', kind: 'number', min: 1, placeholder: '4' },
      { key: 'seq', label: 'Sequence length', kind: 'number', min: 8, placeholder: '256' },
      { key: 'accumulation', label: 'Accumulation', kind: 'number', min: 1, placeholder: '1' },
      { key: 'weightDecay', label: 'Weight decay', kind: 'number', step: 0.01, min: 0, placeholder: '0' },
      { key: 'maxGradNorm', label: 'Max grad norm', kind: 'number', step: 0.1, min: 0, placeholder: '1' },
      { key: 'seed', label: 'Seed', kind: 'number', min: 0, placeholder: '0' },
      { key: 'evalEvery', label: 'Eval every', kind: 'number', min: 1, placeholder: 'end only' },
      { key: 'checkpointEvery', label: 'Checkpoint every', kind: 'number', min: 1, placeholder: '50' },
      { key: 'device', label: 'Device', kind: 'select', options: ['', 'auto', 'cpu', 'cuda'] },
    ],
    summary: (s) => `${s.steps !== undefined ? `${str(s.steps)} steps` : `${str(s.epochs)} epochs`} · lr ${str(s.lr, '2e-4')} · b${str(s.batch, '4')}×${str(s.seq, '256')}`,
  },
  {
    id: 'evaluate',
    title: 'Evaluate',
    icon: 'graph-line',
    fields: [
      { key: 'evalLoss', label: 'Eval loss', kind: 'bool', fallback: true },
      { key: 'prompts', label: 'Prompts', kind: 'list', separator: '\n', placeholder: 'one prompt per line' },
      { key: 'maxTokens', label: 'Max tokens', kind: 'number', min: 1, placeholder: '32' },
    ],
    summary: (s) => `${s.evalLoss === false ? 'no eval loss' : 'eval loss'} · ${Array.isArray(s.prompts) ? s.prompts.length : 0} prompts`,
  },
  {
    id: 'adapter',
    title: 'Adapter',
    icon: 'package',
    fields: [{ key: 'name', label: 'Name', kind: 'text', placeholder: 'my-adapter' }],
    summary: (s) => str(s.name),
  },
  {
    id: 'publish',
    title: 'Publish',
    icon: 'cloud-upload',
    fields: [{ key: 'enabled', label: 'Register on chain when done', kind: 'bool', fallback: false }],
    summary: (s) => (s.enabled === true ? 'on completion' : 'manual'),
  },
];

export function nodeSpec(id: PipelineNode): NodeSpec {
  const spec = NODE_SPECS.find((n) => n.id === id);
  if (!spec) throw new Error(`Unknown pipeline node "${id}"`);
  return spec;
}

/** A blank pipeline a new tab starts from: every node present, the required fields filled. */
export const NEW_PIPELINE = `pipeline: 1
name: my-pipeline
datanet:
  name: my-datanet
split:
  evalFraction: 0.1
  by: random
  seed: 0
format:
  kind: text
model:
  base: default
lora:
  targets: [q, v]
  rank: 8
  alpha: 16
  dropout: 0
  rslora: false
train:
  steps: 100
  lr: 0.0002
  batch: 4
  seq: 256
evaluate:
  evalLoss: true
  prompts: []
  maxTokens: 32
adapter:
  name: my-adapter
publish:
  enabled: false
`;
