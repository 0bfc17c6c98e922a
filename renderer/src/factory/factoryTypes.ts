// The Factory's contract types (main/api/pipelineSchemas.ts), types only: the renderer carries
// no schema code.
export type {
  FactoryEstimate,
  FactoryFormatPreview,
  FactoryMetricsEvent,
  FactoryValidateResult,
  MetricPoint,
  PipelineError,
  PipelineFile,
  PipelineNode,
  RunDetail,
  RunEvaluation,
  RunsCompare,
  RunStatus,
  RunSummary,
} from '../../../main/api/pipelineSchemas';
