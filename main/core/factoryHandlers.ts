import { pipelineJsonSchema } from '../api/pipelineSchemas';
import { resolvePipeline } from '../factory/validatePipeline';
import type { Db } from '../workspace/openDatabase';
import type { Handlers } from './handlers';

type FactoryMethod = Extract<keyof Handlers, `factory.${string}`>;

/**
 * The Factory's methods (main/factory). Validation reads model headers and the datanet's
 * version rows only, so it answers on the core's thread as the editor types.
 */
export function factoryHandlers(deps: { db: () => Db }): Pick<Handlers, FactoryMethod> {
  return {
    'factory.validate': ({ yaml, baseDir }) => resolvePipeline(deps.db(), yaml, baseDir ?? process.cwd()).result,
    'factory.schema': () => ({ jsonSchema: pipelineJsonSchema }),
  };
}
