import { z } from 'zod';
import { DatanetVersionRefSchema } from '../api/attributionSchemas';

// The request bodies of OpenAI's completions and chat completions, the fields Studio serves.
// Unknown fields are ignored (clients send `user`, `presence_penalty`, ... by default), but a
// field Studio reads must have the type OpenAI documents.
const common = {
  model: z.string().min(1).max(200),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  n: z.number().int().min(1).max(16).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  seed: z.number().int().min(0).max(2 ** 32 - 1).nullish(),
  max_tokens: z.number().int().min(1).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  /** Studio's extension (not OpenAI's): `true`, or `{ "datanet": "name@v" }` to name the datanet,
   * (as attribution.attribute takes it) adds the ResponseAttribution (main/api/attributionSchemas.ts) to the response, or as a last
   * chunk before [DONE] when streaming. Clients that do not send it see nothing new. */
  attribution: z
    .union([z.boolean(), z.object({ datanet: DatanetVersionRefSchema.optional() }).strict()])
    .nullish(),
};

export const CompletionRequestSchema = z.object({
  ...common,
  prompt: z.union([z.string().min(1), z.array(z.string().min(1)).length(1)]),
  /** Legacy completions: how many top alternatives per token (0-5). */
  logprobs: z.number().int().min(0).max(5).nullish(),
});

export const ChatRequestSchema = z.object({
  ...common,
  max_completion_tokens: z.number().int().min(1).nullish(),
  messages: z
    .array(
      z.object({
        role: z.enum(['system', 'developer', 'user', 'assistant']),
        // Plain text, or the content-part array form with text parts only.
        content: z.union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }))]),
      }),
    )
    .min(1),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
});
