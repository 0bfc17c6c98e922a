import path from 'node:path';
import { StudioError } from '../api/apiError';
import { inspectModel } from '../engine/inspectModel';
import type { Handlers } from './handlers';

/**
 * The engine's API methods that answer at once. Inspection reads config.json, the safetensors
 * headers and tokenizer.json, never the weights, so it runs on the core's thread; training runs
 * as the 'engine.train' job.
 */
export function engineHandlers(): Pick<Handlers, 'engine.inspect'> {
  return {
    'engine.inspect': ({ dir }) => {
      try {
        return inspectModel(path.resolve(dir));
      } catch (err) {
        // A folder that is not a usable model is the caller's input, not the core's fault.
        throw new StudioError('MODEL_INVALID', err instanceof Error ? err.message : String(err), { dir });
      }
    },
  };
}
