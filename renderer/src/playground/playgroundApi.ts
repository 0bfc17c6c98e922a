// The playground talks to the same OpenAI-compatible endpoint any client uses (/v1 on the serve
// port, the launch token as its key), so what it shows is what an application would get.
import { readLaunchToken } from '../api/launchToken';

export interface SamplingSettings {
  temperature: number;
  topP: number;
  maxTokens: number;
  seed: number;
}

export interface CompletionRequest extends SamplingSettings {
  model: string;
  prompt: string;
}

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
  return { model: r.model, prompt: r.prompt, max_tokens: r.maxTokens, temperature: r.temperature, top_p: r.topP, seed: r.seed, logprobs: TOP_ALTERNATIVES, stream };
}

/** The same request as a curl command (the key read from $STUDIO_API_KEY, never pasted). */
export function curlCommand(r: CompletionRequest, baseUrl: string): string {
  const body = JSON.stringify(requestBody(r, false)).replace(/'/g, `'\\''`);
  return `curl ${baseUrl}/completions \\\n  -H "Authorization: Bearer $STUDIO_API_KEY" \\\n  -H "Content-Type: application/json" \\\n  -d '${body}'`;
}

/** The same request with the official `openai` client. */
export function openaiCode(r: CompletionRequest, baseUrl: string): string {
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
export async function streamCompletion(r: CompletionRequest, signal: AbortSignal, onToken: (t: StreamedToken) => void): Promise<string | null> {
  const { baseUrl, key } = endpoint();
  const res = await fetch(`${baseUrl}/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
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
      const chunk = JSON.parse(data) as {
        error?: { message: string };
        choices: { text: string; finish_reason: string | null; logprobs: { tokens: string[]; token_logprobs: number[]; top_logprobs: Record<string, number>[] } | null }[];
      };
      if (chunk.error) throw new Error(chunk.error.message);
      const c = chunk.choices[0];
      if (!c) continue;
      if (c.finish_reason) finish = c.finish_reason;
      if (c.logprobs && c.logprobs.tokens.length > 0) {
        const top = Object.entries(c.logprobs.top_logprobs[0] ?? {}).map(([text, logprob]) => ({ text, logprob }));
        onToken({ text: c.text, logprob: c.logprobs.token_logprobs[0]!, top: top.sort((a, b) => b.logprob - a.logprob) });
      }
    }
  }
  return finish;
}
