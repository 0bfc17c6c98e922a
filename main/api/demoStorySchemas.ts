import { z } from 'zod';
import { ResponseAttributionSchema } from './attributionSchemas';

// The first start's story (main/firstStart): the demo datanet, the demo fine-tune, a few demo
// prompts attributed with the demo adapter and their epoch settled on the devnet. The two last
// steps are jobs run on the core's thread ('demo.attribute', 'demo.settle'); `demo.story` tells
// the playground what to open with.

/** One demo prompt's answer as the playground shows it: streamed tokens and their attribution. */
export const DemoAnswerSchema = z.object({
  prompt: z.string(),
  model: z.string(),
  completion: z.string(),
  tokens: z.array(z.object({ text: z.string(), logprob: z.number(), top: z.array(z.object({ text: z.string(), logprob: z.number() })) })),
  attribution: ResponseAttributionSchema,
});
export type DemoAnswer = z.infer<typeof DemoAnswerSchema>;

export const DemoStorySchema = z.object({
  /** 'none': this workspace never ran the first start's story; 'building': a step is left (it
   * continues on the next start after a crash); 'done'; 'stopped': a user cancelled a step. */
  state: z.enum(['none', 'building', 'done', 'stopped']),
  note: z.string().nullable(),
  /** The demo adapter, once trained. */
  adapter: z.string().nullable(),
  answers: z.array(DemoAnswerSchema),
});
export type DemoStory = z.infer<typeof DemoStorySchema>;

export const DemoAttributeParamsSchema = z.object({ adapter: z.string().min(1).max(200), prompts: z.array(z.string().min(1).max(1000)).min(1).max(16) }).strict();
export const DemoAttributeResultSchema = z.object({ answers: z.number().int(), inferences: z.number().int(), epoch: z.number().int().nullable() });
export const DemoSettleParamsSchema = z.object({ epoch: z.number().int().positive() }).strict();
export const DemoSettleResultSchema = z.object({
  epoch: z.number().int().positive(),
  models: z.array(z.object({ modelKey: z.string(), state: z.string(), batchId: z.string().nullable(), contributors: z.number().int() })),
});

export const DemoRegisterModelResultSchema = z.object({ modelId: z.string(), filesHash: z.string(), registered: z.boolean() });

const m = <P extends z.ZodType, R extends z.ZodType>(params: P, result: R) => ({ params, result });

export const demoStoryMethods = {
  /** The first start's story in this workspace: its state and the demo answers to open with. */
  'demo.story': m(z.object({}).strict(), DemoStorySchema),
};
