// The Factory's contract types, until main/api/pipelineSchemas.ts lands on this branch (the core
// side is built in parallel): the same shapes, types only. Replaced by `export type` re-exports.

export type PipelineNode = 'datanet' | 'split' | 'format' | 'model' | 'lora' | 'train' | 'evaluate' | 'adapter' | 'publish';

/** One problem, on the node it belongs to (`field` is the path inside the node, 'targets.1'). */
export interface PipelineError {
  node: PipelineNode | 'pipeline';
  field: string;
  message: string;
  line?: number;
}

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A run as the runs list shows it. */
export interface RunSummary {
  id: string;
  name: string;
  status: RunStatus;
  step: number;
  steps: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds left, from the recent step rate; null before the first steps. */
  etaSeconds: number | null;
  error: string | null;
  adapter: string | null;
  finalLoss: number | null;
  evalLoss: number | null;
}

export interface RunCheckpoint {
  step: number;
  evalLoss: number | null;
  evalPerplexity: number | null;
}

/** Greedy generations from the evaluate node's prompts at one evaluation. */
export interface RunSample {
  step: number;
  prompt: string;
  text: string;
}

export interface RunDetail extends RunSummary {
  yaml: string;
  /** The resolved pipeline (defaults filled in). */
  pipeline: Record<string, unknown>;
  configHash: string | null;
  metrics: { step: number; loss?: number | null; evalLoss?: number | null; lr?: number | null; gradNorm?: number | null; tokensPerSecond?: number | null; memoryBytes?: number | null }[];
  logs: string[];
  checkpoints: RunCheckpoint[];
  samples: RunSample[];
}
