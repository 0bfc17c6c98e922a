// Renders a model's chat template (Jinja, from tokenizer_config.json) with Hugging Face's own
// Jinja implementation, @huggingface/jinja, so prompts match transformers' apply_chat_template.
import { INPUT_LIMITS, inputExists, readJsonFile } from '../../files/readInputFile';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | string;
  content: string;
}

export interface TokenizerConfig {
  chat_template?: string | { name: string; template: string }[];
  bos_token?: string | { content: string };
  eos_token?: string | { content: string };
  [k: string]: unknown;
}

export function readTokenizerConfig(dir: string): TokenizerConfig | null {
  const p = join(dir, 'tokenizer_config.json');
  if (!inputExists(p)) return null;
  const json = readJsonFile(p, INPUT_LIMITS.configJson);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`${p}: not a JSON object`);
  return json as TokenizerConfig;
}

/** The default template: a string, or the entry named "default" in the list form. */
export function chatTemplateOf(config: TokenizerConfig | null): string | null {
  const t = config?.chat_template;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return t.find((x) => x.name === 'default')?.template ?? null;
  return null;
}

const tokenText = (t: string | { content: string } | undefined) => (typeof t === 'string' ? t : (t?.content ?? ''));

export function renderChatTemplate(config: TokenizerConfig, messages: ChatMessage[], opts: { addGenerationPrompt?: boolean } = {}): string {
  const template = chatTemplateOf(config);
  if (template === null) throw new Error('the tokenizer has no chat_template in tokenizer_config.json');
  return new Template(template).render({
    messages,
    add_generation_prompt: opts.addGenerationPrompt ?? false,
    bos_token: tokenText(config.bos_token),
    eos_token: tokenText(config.eos_token),
  });
}
