import { api } from '../api/client';
import type { FactoryValidateResult } from './factoryTypes';

/** The core's checks of a pipeline text (schema, model, datanet): every problem on its node. */
export function validatePipeline(yaml: string): Promise<FactoryValidateResult> {
  return api().call('factory.validate', { yaml });
}
