import { ErrorCode, StudioError } from '../api/apiError';
import { pipelineJsonSchema } from '../api/pipelineSchemas';
import { estimateTraining } from '../factory/estimateTraining';
import type { FactoryService } from '../factory/factoryService';
import { resolvePipeline } from '../factory/validatePipeline';
import { publishAdapter } from '../factory/publishAdapter';
import { listPipelineFiles, readPipelineFile, savePipelineFile } from '../factory/pipelineFiles';
import { previewFormat } from '../factory/previewFormat';
import type { DevnetService } from '../chain/devnet/devnetService';
import type { PublishingService } from '../chain/publishing/publishingService';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

type FactoryMethod = Extract<keyof Handlers, `factory.${string}` | `runs.${string}` | `pipelines.${string}`> | 'adapters.publish';

/**
 * The Factory's methods (main/factory). Validation reads model headers and the datanet's
 * version rows only, so it answers on the core's thread as the editor types; runs are
 * 'factory.run' jobs.
 */
export function factoryHandlers(deps: { db: () => Db; pipelinesDir: () => string; factory: () => FactoryService; devnet: () => DevnetService; publishing: () => PublishingService }): Pick<Handlers, FactoryMethod> {
  return {
    'factory.validate': ({ yaml, baseDir }) => resolvePipeline(deps.db(), yaml, baseDir ?? process.cwd()).result,
    'factory.schema': () => ({ jsonSchema: pipelineJsonSchema }),
    'factory.start': ({ yaml, baseDir }) => deps.factory().start(yaml, baseDir ?? process.cwd()),
    'factory.estimate': ({ yaml, baseDir }) => {
      const { result, resolved } = resolvePipeline(deps.db(), yaml, baseDir ?? process.cwd());
      if (!resolved) throw new StudioError('PIPELINE_INVALID', `The pipeline is not valid: ${result.errors.map((e) => `${e.node}.${e.field}: ${e.message}`).join('; ')}`, { errors: result.errors });
      return estimateTraining(resolved);
    },
    'factory.formatPreview': ({ yaml, baseDir, limit }) => previewFormat(deps.db(), yaml, baseDir ?? process.cwd(), limit),
    'pipelines.list': () => listPipelineFiles(deps.pipelinesDir()),
    'pipelines.read': ({ name }) => readPipelineFile(deps.pipelinesDir(), name),
    'pipelines.save': ({ name, yaml, overwrite }) => savePipelineFile(deps.pipelinesDir(), name, yaml, overwrite),
    'runs.list': ({ limit }) => deps.factory().list(limit),
    'runs.get': ({ id }) => deps.factory().get(id),
    'runs.compare': ({ ids }) => {
      if (new Set(ids).size !== ids.length) throw new StudioError(ErrorCode.InvalidRequest, 'runs.compare: the same run is named twice');
      return deps.factory().compare(ids);
    },
    'runs.cancel': ({ id }) => deps.factory().cancel(id),
    'runs.resume': ({ id }) => deps.factory().resume(id),
    'adapters.publish': ({ name }) => publishAdapter(deps.db(), { devnet: deps.devnet(), publishing: deps.publishing() }, name),
  };
}
