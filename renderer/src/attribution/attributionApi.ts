import type { z } from 'zod';
import type { AttributeParamsSchema, ResponseAttribution } from '../../../main/api/attributionSchemas';
import { api } from '../api/client';

export type AttributeParams = z.input<typeof AttributeParamsSchema>;

/**
 * `attribution.attribute`: one completion the playground already has, attributed. The method is
 * typed by its schemas (attributionSchemas.ts); it joins the contract's method list with the
 * core's handler, and until then this one cast is the only untyped step between them.
 */
export function attributeCompletion(params: AttributeParams): Promise<ResponseAttribution> {
  const call = api().call.bind(api()) as unknown as (method: string, params: AttributeParams) => Promise<ResponseAttribution>;
  return call('attribution.attribute', params);
}
