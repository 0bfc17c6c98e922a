// The Factory's contract types (main/api/pipelineSchemas.ts), types only: the renderer carries
// no schema code.
export type {
  FactoryEstimate,
  FactoryMetricsEvent,
  FactoryValidateResult,
  MetricPoint,
  PipelineError,
  PipelineNode,
  RunDetail,
  RunEvaluation,
  RunsCompare,
  RunStatus,
  RunSummary,
} from '../../../main/api/pipelineSchemas';
