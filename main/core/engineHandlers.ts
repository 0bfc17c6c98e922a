import path from 'node:path';
import { StudioError } from '../api/apiError';
import { inspectModelOffThread } from '../engine/inspectModelOffThread';
import type { Handlers } from './handlers';

/**
 * The engine's API methods that answer at once. Inspection reads config.json, the safetensors
 * headers and tokenizer.json, never the weights; it runs in a worker thread (the paths are the
 * caller's, and a tokenizer of tens of MB takes a while to parse); training runs as the
 * 'engine.train' job.
 */
export function engineHandlers(): Pick<Handlers, 'engine.inspect'> {
  return {
    'engine.inspect': async ({ dir }) => {
      try {
        return await inspectModelOffThread(path.resolve(dir));
      } catch (err) {
        // A folder that is not a usable model is the caller's input, not the core's fault.
        throw new StudioError('MODEL_INVALID', err instanceof Error ? err.message : String(err), { dir });
      }
    },
  };
}
