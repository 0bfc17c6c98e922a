import { describe, expect, it } from 'vitest';
import { curlCommand, openaiCode, probabilityColor, remoteProblem, requestBody, splitEvents } from './playgroundApi';
import { filterAdapters } from './playgroundStore';

const req = { model: "it's-mine", prompt: 'Say "hi"', temperature: 0.7, topP: 0.9, maxTokens: 12, seed: 3 };

describe('playground API helpers', () => {
  it('splits server-sent events across chunk boundaries', () => {
    const first = splitEvents('data: {"a":1}\n\ndata: {"b"');
    expect(first).toEqual({ events: ['{"a":1}'], rest: 'data: {"b"' });
    expect(splitEvents(`${first.rest}:2}\n\ndata: [DONE]\n\n`)).toEqual({ events: ['{"b":2}', '[DONE]'], rest: '' });
  });

  it('writes the request as OpenAI fields, and as curl and openai code that quote it safely', () => {
    expect(requestBody(req, true)).toEqual({ model: "it's-mine", prompt: 'Say "hi"', max_tokens: 12, temperature: 0.7, top_p: 0.9, seed: 3, logprobs: 5, stream: true });
    const curl = curlCommand(req, 'http://127.0.0.1:1/v1');
    expect(curl).toContain("'\\''"); // the single quote in the model name survives the shell
    expect(curl).toContain('$STUDIO_API_KEY');
    expect(openaiCode(req, 'http://127.0.0.1:1/v1')).toContain(`prompt: ${JSON.stringify('Say "hi"')}`);
  });

  it('chat mode sends the prompt as one user message with logprobs in the chat shape', () => {
    expect(requestBody({ ...req, mode: 'chat' }, true)).toEqual({
      model: "it's-mine",
      messages: [{ role: 'user', content: 'Say "hi"' }],
      max_tokens: 12,
      temperature: 0.7,
      top_p: 0.9,
      seed: 3,
      logprobs: true,
      top_logprobs: 5,
      stream: true,
    });
    expect(curlCommand({ ...req, mode: 'chat' }, 'http://127.0.0.1:1/v1')).toContain('http://127.0.0.1:1/v1/chat/completions');
    expect(openaiCode({ ...req, mode: 'chat' }, 'http://127.0.0.1:1/v1')).toContain('client.chat.completions.create');
  });

  it('checks a remote endpoint before it is used: an http(s) URL without credentials and a model id', () => {
    expect(remoteProblem('http://127.0.0.1:8000/v1', 'support-a')).toBeNull();
    expect(remoteProblem('https://gpu.example/v1', 'meta-llama/Llama-3.1-8B')).toBeNull();
    expect(remoteProblem('127.0.0.1:8000', 'x')).toMatch(/not http or https|not a URL/);
    expect(remoteProblem('not a url', 'x')).toMatch(/"not a url" is not a URL/);
    expect(remoteProblem('ftp://host/v1', 'x')).toMatch(/not http or https/);
    expect(remoteProblem('http://user:secret@host/v1', 'x')).toMatch(/API key field/);
    expect(remoteProblem('http://host/v1', '  ')).toMatch(/Name the remote model/);
    expect(remoteProblem('http://host/v1', 'two words')).toMatch(/not a model id/);
  });

  it('colours likely tokens green and unlikely ones red', () => {
    expect(probabilityColor(0)).toBe('hsla(120, 70%, 45%, 0.45)');
    expect(probabilityColor(-20)).toBe('hsla(0, 70%, 45%, 0.45)');
  });

  it('filters adapters by every word of the search', () => {
    const a = (name: string, targets: string[]) => ({ name, source: 'trained', targets, base: { path: '/m/tiny' } }) as never;
    const list = [a('support-a', ['q_proj']), a('legal', ['c_attn'])];
    expect(filterAdapters(list, 'support q_proj').map((x: { name: string }) => x.name)).toEqual(['support-a']);
    expect(filterAdapters(list, '')).toHaveLength(2);
  });
});
