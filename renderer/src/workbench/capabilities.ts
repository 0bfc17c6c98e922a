import type { AppInfo, CapabilityStatus } from '../../../main/api/schemas';
import type { ActivityId } from './layout';

export type CapabilityId = Exclude<ActivityId, 'workspace' | 'artifacts'>;

/** What each not-yet-built view will do and what it waits for. Words only: no sample data. */
export interface CapabilityDescription {
  id: CapabilityId;
  title: string;
  summary: string;
  /** The side bar's headline while there is nothing to show. */
  emptyTitle: string;
  /** What the finished view lets people do, one line each. */
  will: string[];
  /** Which part of app.info tells whether it can run. */
  dependsOn: 'engine' | 'chain' | null;
  /** Said while the view itself is not built, whatever the state of what it depends on. */
  missing: string;
}

export const CAPABILITIES: Record<CapabilityId, CapabilityDescription> = {
  datanets: {
    id: 'datanets',
    emptyTitle: 'No datanets yet',
    title: 'Datanets',
    summary: 'Curate domain datasets whose every record keeps the contributor it came from.',
    will: [
      'Import JSONL, CSV, Parquet and plain text, with a contributor per record',
      'Review, deduplicate and accept records; version each snapshot',
      'Export snapshots as Parquet for Spark, DuckDB or datatrove',
    ],
    dependsOn: null,
    missing: 'Datanets are not part of this build yet.',
  },
  factory: {
    id: 'factory',
    emptyTitle: 'No training runs yet',
    title: 'Factory',
    summary: 'Fine-tune LoRA adapters on a small base model from a datanet snapshot.',
    will: [
      'Build a training pipeline: base model, datanet snapshot, LoRA rank and schedule',
      'Train on the local GPU, or the CPU when there is none, with live loss curves',
      'Save adapters in PEFT layout; export GGUF for llama.cpp and Ollama',
    ],
    dependsOn: 'engine',
    missing: 'Training from the workbench is not part of this build yet.',
  },
  playground: {
    id: 'playground',
    emptyTitle: 'No models to try yet',
    title: 'Playground',
    summary: 'Chat with one base model and swap adapters per request (OpenLoRA).',
    will: [
      'Keep one base model loaded and switch between many adapters per request',
      'Show, token by token, which training records shaped each answer',
      'Compare adapters side by side on the same prompt',
    ],
    dependsOn: 'engine',
    missing: 'The playground is not part of this build yet.',
  },
  chain: {
    id: 'chain',
    emptyTitle: 'No local chain yet',
    title: 'Chain',
    summary: 'A local OP Stack devnet (Anvil) with the protocol contracts deployed on it.',
    will: [
      'Explore blocks, transactions, accounts, contracts and decoded protocol events (the side bar opens each)',
      'Publish datanets and models on chain; settle contributors’ rewards (the Publications view lists them)',
      'Point at any OP Stack network through an RPC URL instead',
    ],
    dependsOn: 'chain',
    missing: 'The explorer works on the local devnet; remote networks are not part of this build yet.',
  },
};

/** The status line for a capability: from app.info where the core reports one. */
export function capabilityStatus(id: CapabilityId, info: AppInfo | null): CapabilityStatus | null {
  const dep = CAPABILITIES[id].dependsOn;
  if (!info || !dep) return null;
  return info[dep];
}
