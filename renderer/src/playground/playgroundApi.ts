// The playground talks to the same OpenAI-compatible endpoint any client uses (/v1 on the serve
// port, the launch token as its key), so what it shows is what an application would get.
import { readLaunchToken } from '../api/launchToken';

export interface SamplingSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
  seed: number;
}

/** completion: /v1/completions on the raw prompt; chat: /v1/chat/completions, the prompt as one
 * user message rendered by the model's chat template. */
export type PlaygroundMode = 'completion' | 'chat';

export interface CompletionRequest extends SamplingSettings {
  model: string;
  prompt: string;
  mode?: PlaygroundMode;
}

/** Another OpenAI-compatible endpoint (vLLM, LoRAX, another machine's Studio) to compare against. */
export interface RemoteEndpoint {
  baseUrl: string;
  key: string;
}

/** The serve's forwarding route for a remote endpoint (main/playground/remoteEndpointProxy.ts). */
export const REMOTE_ROUTE = '/v1/studio/remote';

/** Why the remote endpoint's fields cannot be used, or null when they can. */
export function remoteProblem(baseUrl: string, model: string): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    return `Base URL "${baseUrl}" is not a URL: write it like http://host:8000/v1.`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `Base URL "${baseUrl}" is not http or https.`;
  if (url.username || url.password) return 'Put the key in the API key field, not in the base URL.';
  if (model.trim() === '') return 'Name the remote model (an id its /models lists, e.g. an adapter name).';
  if (model.length > 200 || /[\s]/.test(model.trim())) return `Model "${model}" is not a model id (no spaces, at most 200 characters).`;
  return null;
}

const pathOf = (mode: PlaygroundMode | undefined) => (mode === 'chat' ? 'chat/completions' : 'completions');

/** One streamed token: its text, probability and the top alternatives at that position. */
export interface StreamedToken {
  text: string;
  logprob: number;
  top: { text: string; logprob: number }[];
}

export const TOP_ALTERNATIVES = 5;

export function endpoint(): { baseUrl: string; key: string | null } {
  return { baseUrl: `${window.location.origin}/v1`, key: readLaunchToken(window.sessionStorage) };
}

export function requestBody(r: CompletionRequest, stream: boolean): Record<string, unknown> {
  const sampling = { max_tokens: r.maxTokens, temperature: r.temperature, top_p: r.topP, seed: r.seed };
  if (r.mode === 'chat') return { model: r.model, messages: [{ role: 'user', content: r.prompt }], ...sampling, logprobs: true, top_logprobs: TOP_ALTERNATIVES, stream };
  return { model: r.model, prompt: r.prompt, ...sampling, logprobs: TOP_ALTERNATIVES, stream };
}

/** The same request as a curl command (the key read from $STUDIO_API_KEY, never pasted). */
export function curlCommand(r: CompletionRequest, baseUrl: string): string {
  const body = JSON.stringify(requestBody(r, false)).replace(/'/g, `'\\''`);
  return `curl ${baseUrl}/${pathOf(r.mode)} \\\n  -H "Authorization: Bearer $STUDIO_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body}'`;
}

/** The same request with the official `openai` client. */
export function openaiCode(r: CompletionRequest, baseUrl: string): string {
  if (r.mode === 'chat') {
    return [
      "import OpenAI from 'openai';",
      '',
      `const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: process.env.STUDIO_API_KEY });`,
      'const stream = await client.chat.completions.create({',
      `  model: ${JSON.stringify(r.model)},`,
      `  messages: [{ role: 'user', content: ${JSON.stringify(r.prompt)} }],`,
      `  max_tokens: ${r.maxTokens}, temperature: ${r.temperature}, top_p: ${r.topP}, seed: ${r.seed},`,
      `  logprobs: true, top_logprobs: ${TOP_ALTERNATIVES}, stream: true,`,
      '});',
      'for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta?.content ?? "");',
    ].join('\n');
  }
  return [
    "import OpenAI from 'openai';",
    '',
    `const client = new OpenAI({ baseURL: '${baseUrl}', apiKey: process.env.STUDIO_API_KEY });`,
    'const stream = await client.completions.create({',
    `  model: ${JSON.stringify(r.model)},`,
    `  prompt: ${JSON.stringify(r.prompt)},`,
    `  max_tokens: ${r.maxTokens}, temperature: ${r.temperature}, top_p: ${r.topP}, seed: ${r.seed},`,
    `  logprobs: ${TOP_ALTERNATIVES}, stream: true,`,
    '});',
    'for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.text ?? "");',
  ].join('\n');
}

/** A probability as a background colour: red (unlikely) through amber to green (likely). */
export function probabilityColor(logprob: number): string {
  const p = Math.exp(logprob);
  return `hsla(${Math.round(120 * p)}, 70%, 45%, 0.45)`;
}

/** Splits server-sent events: complete `data:` payloads and the unfinished rest. */
export function splitEvents(buffer: string): { events: string[]; rest: string } {
  const parts = buffer.split('\n\n');
  const rest = parts.pop() ?? '';
  const events = parts.flatMap((p) => p.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)));
  return { events, rest };
}

/**
 * Streams one completion; calls onToken per token. Resolves with the finish reason; rejects with
 * the endpoint's own error message (OpenAI's error shape), or an AbortError when stopped.
 */
export async function streamCompletion(r: CompletionRequest, signal: AbortSignal, onToken: (t: StreamedToken) => void, remote?: RemoteEndpoint): Promise<string | null> {
  const { baseUrl, key } = endpoint();
  // A remote endpoint is reached through this serve (the page may fetch its own origin only).
  const url = remote ? `${window.location.origin}${REMOTE_ROUTE}/${pathOf(r.mode)}` : `${baseUrl}/${pathOf(r.mode)}`;
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(remote ? { 'x-studio-remote-base-url': remote.baseUrl.trim(), ...(remote.key ? { 'x-studio-remote-key': remote.key } : {}) } : {}),
    },
    body: JSON.stringify(requestBody(r, true)),
    signal,
  });
  if (!res.ok || !res.body) {
    const text = await res.text();
    let message = `${res.status} ${res.statusText}`;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      /* not JSON: keep the status line */
    }
    throw new Error(message);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let finish: string | null = null;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const split = splitEvents(buffer + value);
    buffer = split.rest;
    for (const data of split.events) {
      if (data === '[DONE]') return finish;
      const chunk = JSON.parse(data) as { error?: { message: string }; choices: (CompletionChoice & ChatChoice)[] };
      if (chunk.error) throw new Error(chunk.error.message);
      const c = chunk.choices[0];
      if (!c) continue;
      if (c.finish_reason) finish = c.finish_reason;
      const token = r.mode === 'chat' ? chatToken(c) : completionToken(c);
      if (token) onToken(token);
    }
  }
  return finish;
}

interface CompletionChoice {
  text: string;
  finish_reason: string | null;
  logprobs: { tokens: string[]; token_logprobs: number[]; top_logprobs: Record<string, number>[] } | null;
}

interface ChatChoice {
  delta?: { content?: string | null };
  finish_reason: string | null;
  logprobs: { content: { token: string; logprob: number; top_logprobs: { token: string; logprob: number }[] }[] | null } | null;
}

/** A legacy completions chunk's token (parallel arrays, alternatives as {text: logprob}). */
function completionToken(c: CompletionChoice): StreamedToken | null {
  if (!c.logprobs || c.logprobs.tokens.length === 0) return null;
  const top = Object.entries(c.logprobs.top_logprobs[0] ?? {}).map(([text, logprob]) => ({ text, logprob }));
  return { text: c.text, logprob: c.logprobs.token_logprobs[0]!, top: top.sort((a, b) => b.logprob - a.logprob) };
}

/** A chat chunk's token: the delta's text, its logprob and alternatives from logprobs.content. A
 * server that sends no logprobs still streams its text (probability unknown: shown as 1). */
function chatToken(c: ChatChoice): StreamedToken | null {
  const text = c.delta?.content ?? '';
  const lp = c.logprobs?.content?.[0];
  if (!lp) return text === '' ? null : { text, logprob: 0, top: [] };
  return { text, logprob: lp.logprob, top: lp.top_logprobs.map((a) => ({ text: a.token, logprob: a.logprob })).sort((a, b) => b.logprob - a.logprob) };
}
