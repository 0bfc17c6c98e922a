// A datanet record -> the engine's training record, as the pipeline's format node says. The
// engine trains {text} on every token and {prompt, response} on the response only, so "response
// only loss" is a choice between those two shapes; the template or chat template decides the text.
import type { RecordSchemaKind } from '../api/datanetSchemas';
import { DEFAULT_INSTRUCTION_TEMPLATE, type Pipeline } from '../api/pipelineSchemas';
import type { TrainingRecord } from '../engine/training/readTrainingRecords';
import { renderChatTemplate, type ChatMessage, type readTokenizerConfig } from '../engine/tokenizer/renderChatTemplate';

type TokenizerConfig = NonNullable<ReturnType<typeof readTokenizerConfig>>;

/** Which datanet schemas each format can read (the rest is a validation error on `format`). */
export const FORMAT_READS: Record<Pipeline['format']['kind'], readonly RecordSchemaKind[]> = {
  text: ['text', 'instruction', 'chat', 'labelled'],
  instruction: ['instruction'],
  chat: ['instruction', 'chat'],
};

export interface DatanetRecordContent {
  text: string;
  content: Record<string, unknown>;
}

function split(prompt: string, response: string, responseOnly: boolean): TrainingRecord {
  return responseOnly ? { kind: 'chat', prompt, response } : { kind: 'text', text: prompt + response };
}

export function formatRecord(format: Pipeline['format'], schema: RecordSchemaKind, r: DatanetRecordContent, chat: TokenizerConfig | null): TrainingRecord {
  if (format.kind === 'text') return { kind: 'text', text: r.text };
  if (format.kind === 'instruction') {
    const template = format.template ?? DEFAULT_INSTRUCTION_TEMPLATE;
    return split(template.split('{prompt}').join(String(r.content['prompt'])), String(r.content['response']), format.responseOnlyLoss);
  }
  if (!chat) throw new Error("format: kind 'chat' needs the model's tokenizer_config.json with a chat_template");
  const messages: ChatMessage[] =
    schema === 'instruction'
      ? [{ role: 'user', content: String(r.content['prompt']) }, { role: 'assistant', content: String(r.content['response']) }]
      : (r.content['messages'] as ChatMessage[]);
  const last = messages.at(-1);
  // The reply the model learns is the conversation's last assistant turn; a record ending on
  // another role trains on the whole rendered conversation.
  if (!last || last.role !== 'assistant') return { kind: 'text', text: renderChatTemplate(chat, messages) };
  const prompt = renderChatTemplate(chat, messages.slice(0, -1), { addGenerationPrompt: true });
  return split(prompt, last.content, format.responseOnlyLoss);
}
