// The Factory's contract types (main/api/pipelineSchemas.ts), types only: the renderer carries
// no schema code. Run shapes below are the ones the run views expect until runs.* land.
export type { FactoryValidateResult, PipelineError, PipelineNode } from '../../../main/api/pipelineSchemas';

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
