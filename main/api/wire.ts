import { z } from 'zod';
import { ApiErrorSchema, type ApiErrorData } from './apiError';

/**
 * The envelope both transports carry. Requests are answered by exactly one response with the
 * same id; events are pushed without an id. Size limits are checked before parsing.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

export const RequestMessageSchema = z
  .object({
    type: z.literal('request'),
    id: z.union([z.number().int().nonnegative(), z.string().max(64)]),
    method: z.string().min(1).max(128),
    params: z.unknown().optional(),
  })
  .strict();
export type RequestMessage = z.infer<typeof RequestMessageSchema>;

export const ResponseMessageSchema = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('response'), id: z.union([z.number(), z.string()]).nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ type: z.literal('response'), id: z.union([z.number(), z.string()]).nullable(), ok: z.literal(false), error: ApiErrorSchema }),
]);
export type ResponseMessage = z.infer<typeof ResponseMessageSchema>;

export const EventMessageSchema = z.object({ type: z.literal('event'), event: z.string(), data: z.unknown() });
export type EventMessage = z.infer<typeof EventMessageSchema>;

export type ServerMessage = ResponseMessage | EventMessage;

/** A response without its envelope: what the core returns to a transport. */
export type CallOutcome = { ok: true; result: unknown } | { ok: false; error: ApiErrorData };
