// The Factory's contract types (main/api/pipelineSchemas.ts), types only: the renderer carries
// no schema code. Run shapes below are the ones the run views expect until runs.* land.
export type { FactoryValidateResult, PipelineError, PipelineNode } from '../../../main/api/pipelineSchemas';

// Until runs.* are merged from factory-core: their shapes in main/api/pipelineSchemas.ts, mirrored
// field for field (replaced by `export type` re-exports on merge).
export type RunStatus = 'queued' | 'running' | 'failed' | 'cancelled' | 'interrupted' | 'completed';

export interface MetricPoint {
  step: number;
  loss: number | null;
  lr: number;
  gradNorm: number | null;
  tokensPerSecond: number;
  /** Resident memory of the training process, MiB. */
  memoryMB: number;
  time: string;
}

export interface RunEvaluation {
  step: number;
  evalLoss: number | null;
  perplexity: number | null;
  samples: { prompt: string; text: string }[];
  checkpoint: boolean;
  time: string;
}

export interface RunSummary {
  id: string;
  name: string;
  status: RunStatus;
  reason: string | null;
  configHash: string;
  datanet: { name: string; version: number; merkleRoot: string };
  model: { dir: string; digest: string };
  steps: number;
  step: number;
  progress: number | null;
  finalLoss: number | null;
  evalLoss: number | null;
  tokensPerSecond: number | null;
  adapter: string | null;
  runDir: string;
  jobId: string | null;
  createdAt: string;
}

export interface RunDetail extends RunSummary {
  pipelineYaml: string;
  pipeline: Record<string, unknown>;
  metrics: MetricPoint[];
  evaluations: RunEvaluation[];
  adapterPath: string | null;
}

export interface RunsCompare {
  runs: RunSummary[];
  differences: { path: string; values: unknown[] }[];
  samples: { prompt: string; texts: (string | null)[] }[];
  curves: { id: string; steps: number[]; loss: (number | null)[]; evalSteps: number[]; evalLoss: (number | null)[] }[];
}

export interface FactoryMetricsEvent {
  runId: string;
  status: RunStatus;
  points: MetricPoint[];
  evaluations: RunEvaluation[];
}

export interface FactoryEstimate {
  backend: { kind: 'cpu' | 'cuda'; name: string; threads: number | null; memoryBytes: number | null };
  parameters: number;
  trainableParameters: number;
  bytes: { weights: number; activations: number; optimizer: number; gradients: number; total: number };
  available: number;
  fits: boolean;
  warning: string | null;
  suggestedBatch: number | null;
}
