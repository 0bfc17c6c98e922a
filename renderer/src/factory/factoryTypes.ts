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
