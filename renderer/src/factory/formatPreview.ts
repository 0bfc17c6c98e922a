// What the format node makes of a record, for the live preview: the text the model sees, split
// into the part masked out of the loss and the part trained on. Mirrors main/factory/formatRecord.ts
// for 'text' and 'instruction' (the renderer may not import it: it carries schema code).

/** main/api/pipelineSchemas.ts's DEFAULT_INSTRUCTION_TEMPLATE (a value in a schema module). */
export const INSTRUCTION_TEMPLATE = '### Instruction:\n{prompt}\n\n### Response:\n';

export interface FormatSettings {
  kind?: unknown;
  template?: unknown;
  responseOnlyLoss?: unknown;
}

export type FormattedRecord =
  | { ok: true; masked: string; trained: string }
  | { ok: false; reason: string };

export function formatForPreview(format: FormatSettings, record: { text: string; content: Record<string, unknown> }): FormattedRecord {
  const kind = typeof format.kind === 'string' ? format.kind : 'text';
  if (kind === 'text') return { ok: true, masked: '', trained: record.text };
  const prompt = record.content['prompt'];
  const response = record.content['response'];
  if (typeof prompt !== 'string' || typeof response !== 'string') return { ok: false, reason: `format '${kind}' reads {prompt, response} records; this one has ${Object.keys(record.content).join(', ') || 'no fields'}` };
  if (kind === 'chat') return { ok: false, reason: "the chat template is rendered by the core with the model's tokenizer (no preview API yet)" };
  const template = typeof format.template === 'string' ? format.template : INSTRUCTION_TEMPLATE;
  const head = template.split('{prompt}').join(prompt);
  return format.responseOnlyLoss === false ? { ok: true, masked: '', trained: head + response } : { ok: true, masked: head, trained: response };
}
