import type { z } from 'zod';
import type { AttributeParamsSchema, ResponseAttribution } from '../../../main/api/attributionSchemas';
import { api } from '../api/client';

export type AttributeParams = z.input<typeof AttributeParamsSchema>;

/** `attribution.attribute`: one completion the playground already has, attributed. */
export function attributeCompletion(params: AttributeParams): Promise<ResponseAttribution> {
  return api().call('attribution.attribute', params);
}
