import crypto from 'node:crypto';
import type http from 'node:http';
import type { z } from 'zod';
import { ErrorCode, StudioError } from '../api/apiError';
import type { ResponseAttribution } from '../api/attributionSchemas';
import type { GeneratedToken } from '../engine/generate';
import { renderChatTemplate } from '../engine/tokenizer/renderChatTemplate';
import { OpenAiError } from './OpenAiError';
import { ChatRequestSchema, CompletionRequestSchema } from './openaiSchemas';
import { proxyRemote, REMOTE_PREFIX } from './remoteEndpointProxy';
import { PlaygroundError, type PlaygroundService, type ServedBase } from './PlaygroundService';
import type { ServeHandle, ServeRequest, ServeResult } from './ServingCore';
import { readRequestBody } from './readRequestBody';

export { OpenAiError };

export function sendOpenAiError(res: http.ServerResponse, err: OpenAiError, headers: Record<string, string>): void {
  if (res.headersSent) return void res.end();
  res.writeHead(err.status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: err.message, type: err.type, param: err.param, code: err.code } }));
}

/**
 * The OpenAI-compatible endpoint under /v1 (the caller has checked the launch token): models,
 * completions and chat completions on the PlaygroundService's serving core, JSON or server-sent
 * events. A client that goes away mid-request has its rows cancelled, freeing them at the next
 * decode step.
 */
/** Attributes one completion (the core's `attribution.attribute`); absent where the host has no attribution. */
export type AttributeCompletion = (p: { model: string; prompt: string; completion: string; datanet?: string }) => Promise<ResponseAttribution>;

export async function handleOpenAi(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  playground: PlaygroundService,
  headers: Record<string, string>,
  attribute?: AttributeCompletion,
): Promise<void> {
  try {
    if (pathname === '/v1/models') {
      if (req.method !== 'GET') throw new OpenAiError(405, 'Use GET for /v1/models.');
      const base = await served(playground);
      const created = 0;
      const data = [
        { id: 'base', object: 'model', created, owned_by: 'studio', root: base.dir },
        ...playground.adapters().map((a) => ({ id: a.name, object: 'model', created: Math.floor(Date.parse(a.createdAt) / 1000), owned_by: 'studio', root: base.dir, parent: 'base' })),
      ];
      return json(res, 200, { object: 'list', data }, headers);
    }
    // Not OpenAI's: what the serving core holds (rows, resident adapters within the budget), for
    // the playground's status line and for tests that check a hung-up client's row was freed.
    if (pathname === '/v1/studio/status') {
      const base = await served(playground);
      return json(res, 200, { base: { id: base.id, dir: base.dir, digest: base.digest, maxPositions: base.spec.maxPositions }, ...base.core.stats() }, headers);
    }
    // Not OpenAI's: the playground's way to another OpenAI-compatible endpoint (remoteEndpointProxy.ts).
    if (pathname.startsWith(REMOTE_PREFIX)) return await proxyRemote(req, res, pathname, headers);
    const kind = pathname === '/v1/completions' ? 'completion' : pathname === '/v1/chat/completions' ? 'chat' : null;
    if (!kind) throw new OpenAiError(404, `Unknown endpoint ${pathname}; Studio serves /v1/models, /v1/completions and /v1/chat/completions.`, 'invalid_request_error', 'unknown_url');
    if (req.method !== 'POST') throw new OpenAiError(405, `Use POST for ${pathname}.`);
    const body = await readJson(req);
    await complete(kind, body, req, res, playground, headers, attribute);
  } catch (err) {
    sendOpenAiError(res, toOpenAiError(err), headers);
  }
}

function toOpenAiError(err: unknown): OpenAiError {
  if (err instanceof OpenAiError) return err;
  if (err instanceof PlaygroundError) {
    if (err.kind === 'model_not_found') return new OpenAiError(404, err.message, 'invalid_request_error', 'model_not_found', 'model');
    if (err.kind === 'no_model') return new OpenAiError(503, err.message, 'server_error', 'no_model');
    if (err.kind === 'adapter_unverified') return new OpenAiError(400, err.message, 'invalid_request_error', 'adapter_unverified', 'model');
    return new OpenAiError(400, err.message, 'invalid_request_error', 'model_invalid', 'model');
  }
  return new OpenAiError(500, `The server failed: ${(err as Error)?.message ?? String(err)}`, 'server_error');
}

async function served(playground: PlaygroundService): Promise<ServedBase> {
  return playground.base();
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const body = await readRequestBody(req);
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new OpenAiError(400, `The request body is not valid JSON: ${(err as Error).message}`);
  }
}

function parse<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const param = issue.path.join('.');
  throw new OpenAiError(400, `${param || 'body'}: ${issue.message}`, 'invalid_request_error', 'invalid_value', param || null);
}

async function complete(
  kind: 'completion' | 'chat',
  body: unknown,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  playground: PlaygroundService,
  headers: Record<string, string>,
  attribute: AttributeCompletion | undefined,
) {
  const p = kind === 'chat' ? parse(ChatRequestSchema, body) : parse(CompletionRequestSchema, body);
  const base = await served(playground);
  const adapter = playground.resolveModel(base, p.model);
  await playground.prepareAdapter(adapter);
  const tok = base.tokenizer;

  const wantsAttribution = p.attribution != null && p.attribution !== false;
  if (wantsAttribution && !attribute) throw new OpenAiError(400, 'Attribution is not available on this server.', 'invalid_request_error', 'attribution_unavailable', 'attribution');
  if (wantsAttribution && (p.n ?? 1) > 1) throw new OpenAiError(400, 'attribution: attributes one choice; send n = 1.', 'invalid_request_error', 'invalid_value', 'n');
  let promptText: string;
  let promptIds: number[];
  if (kind === 'chat') {
    const c = p as z.output<typeof ChatRequestSchema>;
    if (!base.tokenizerConfig) throw new OpenAiError(400, `The base model ${base.id} has no tokenizer_config.json, so no chat template: use /v1/completions.`, 'invalid_request_error', 'no_chat_template');
    const messages = c.messages.map((m) => ({ role: m.role === 'developer' ? 'system' : m.role, content: typeof m.content === 'string' ? m.content : m.content.map((x) => x.text).join('') }));
    let text: string;
    try {
      text = renderChatTemplate(base.tokenizerConfig, messages, { addGenerationPrompt: true });
    } catch (err) {
      throw new OpenAiError(400, `The chat template of ${base.id} failed: ${(err as Error).message}`, 'invalid_request_error', 'no_chat_template');
    }
    // The template writes the special tokens itself, as transformers' apply_chat_template does.
    promptIds = tok.encode(text, { addSpecialTokens: false });
    promptText = text;
  } else {
    const prompt = (p as z.output<typeof CompletionRequestSchema>).prompt;
    promptText = typeof prompt === 'string' ? prompt : prompt[0]!;
    promptIds = tok.encode(promptText);
  }
  const ctx = base.spec.maxPositions;
  const requested = (kind === 'chat' ? ((p as z.output<typeof ChatRequestSchema>).max_completion_tokens ?? p.max_tokens) : p.max_tokens) ?? (kind === 'chat' ? null : 16);
  if (promptIds.length + (requested ?? 1) > ctx) {
    throw new OpenAiError(
      400,
      `This model's maximum context length is ${ctx} tokens. However, you requested ${promptIds.length + (requested ?? 1)} tokens (${promptIds.length} in the messages, ${requested ?? 1} in the completion). Please reduce the length of the messages or completion.`,
      'invalid_request_error',
      'context_length_exceeded',
      'messages',
    );
  }
  const maxTokens = requested ?? ctx - promptIds.length;
  const top = kind === 'chat' ? ((p as z.output<typeof ChatRequestSchema>).logprobs ? ((p as z.output<typeof ChatRequestSchema>).top_logprobs ?? 0) : null) : ((p as z.output<typeof CompletionRequestSchema>).logprobs ?? null);
  const n = p.n ?? 1;
  const seed = p.seed ?? crypto.randomInt(0, 2 ** 31);
  const opts: ServeRequest['opts'] = {
    maxTokens,
    temperature: p.temperature ?? 1,
    ...(p.top_p != null && p.top_p < 1 ? { topP: p.top_p } : {}),
    topAlternatives: top ?? 0,
    stopIds: base.eosIds,
    stopStrings: p.stop == null ? [] : typeof p.stop === 'string' ? [p.stop] : p.stop,
  };
  const id = `${kind === 'chat' ? 'chatcmpl' : 'cmpl'}-${crypto.randomBytes(12).toString('hex')}`;
  const created = Math.floor(Date.now() / 1000);
  const object = kind === 'chat' ? 'chat.completion' : 'text_completion';
  const stream = p.stream === true;

  const handles: ServeHandle[] = [];
  res.on('close', () => {
    if (!res.writableEnded) for (const h of handles) h.cancel();
  });
  if (stream) {
    res.writeHead(200, { ...headers, 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.flushHeaders();
  }
  const send = (data: unknown) => {
    if (!res.writableEnded && !res.destroyed) res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const chunkObject = kind === 'chat' ? 'chat.completion.chunk' : 'text_completion';
  const offsets = Array.from({ length: n }, () => 0);
  const rows = Array.from({ length: n }, (_, index) => {
    if (stream && kind === 'chat') send({ id, object: chunkObject, created, model: p.model, choices: [{ index, delta: { role: 'assistant', content: '' }, logprobs: null, finish_reason: null }] });
    const h = base.core.submit({
      adapter,
      promptIds,
      opts: { ...opts, seed: seed + index },
      onToken: stream
        ? (t) => {
            const lp = top === null ? null : kind === 'chat' ? chatLogprobs([t], tok) : completionLogprobs([t], tok, offsets[index]!);
            offsets[index]! += t.text.length;
            send({ id, object: chunkObject, created, model: p.model, choices: [kind === 'chat' ? { index, delta: { content: t.text }, logprobs: lp, finish_reason: null } : { index, text: t.text, logprobs: lp, finish_reason: null }] });
          }
        : undefined,
    });
    handles.push(h);
    return h.done.then((r) => {
      if (stream) send({ id, object: chunkObject, created, model: p.model, choices: [kind === 'chat' ? { index, delta: {}, logprobs: null, finish_reason: r.finishReason } : { index, text: '', logprobs: null, finish_reason: r.finishReason }] });
      return r;
    });
  });
  let results: ServeResult[];
  try {
    results = await Promise.all(rows);
  } catch (err) {
    for (const h of handles) h.cancel();
    if (!stream) throw err;
    // Headers are out: the error goes as an event in OpenAI's shape, then the stream ends.
    const e = toOpenAiError(err);
    send({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
    return void res.end();
  }
  // Attribution of the (single) choice, after generation: its errors (no datanet known, say) come
  // in OpenAI's shape, as an event when streaming.
  let attribution: ResponseAttribution | undefined;
  if (wantsAttribution) {
    try {
      const datanet = typeof p.attribution === 'object' ? p.attribution?.datanet : undefined;
      attribution = await attribute!({ model: p.model, prompt: promptText, completion: results[0]!.text, ...(datanet ? { datanet } : {}) });
    } catch (err) {
      const e = err instanceof StudioError && err.code !== ErrorCode.Internal ? new OpenAiError(400, err.message, 'invalid_request_error', 'attribution_unavailable', 'attribution') : toOpenAiError(err);
      if (!stream) throw e;
      send({ error: { message: e.message, type: e.type, param: e.param, code: e.code } });
      return void res.end();
    }
  }
  const completionTokens = results.reduce((s, r) => s + r.tokens.length, 0);
  const usage = { prompt_tokens: promptIds.length, completion_tokens: completionTokens, total_tokens: promptIds.length + completionTokens };
  const warning = results.find((r) => r.warning)?.warning;
  if (stream) {
    if (p.stream_options?.include_usage) send({ id, object: chunkObject, created, model: p.model, choices: [], usage });
    if (attribution) send({ id, object: chunkObject, created, model: p.model, choices: [], attribution });
    res.end('data: [DONE]\n\n');
    return;
  }
  const choices = results.map((r, index) =>
    kind === 'chat'
      ? { index, message: { role: 'assistant', content: r.text, refusal: null }, logprobs: top === null ? null : chatLogprobs(r.tokens, tok), finish_reason: r.finishReason }
      : { index, text: r.text, logprobs: top === null ? null : completionLogprobs(r.tokens, tok, 0), finish_reason: r.finishReason },
  );
  json(res, 200, { id, object, created, model: p.model, choices, usage, ...(warning ? { warning } : {}), ...(attribution ? { attribution } : {}) }, headers);
}

const bytesOf = (s: string) => [...Buffer.from(s, 'utf8')];

/** Chat's shape: per token its text, logprob, UTF-8 bytes and top alternatives. */
function chatLogprobs(tokens: GeneratedToken[], tok: ServedBase['tokenizer']) {
  return {
    content: tokens.map((t) => {
      const text = tok.decode([t.id]);
      return { token: text, logprob: t.logprob, bytes: bytesOf(text), top_logprobs: t.top.map((a) => ({ token: a.text, logprob: a.logprob, bytes: bytesOf(a.text) })) };
    }),
    refusal: null,
  };
}

/** Legacy completions' shape: parallel arrays, top alternatives as {token: logprob}. */
function completionLogprobs(tokens: GeneratedToken[], tok: ServedBase['tokenizer'], start: number) {
  let offset = start;
  const text_offset = tokens.map((t) => {
    const o = offset;
    offset += t.text.length;
    return o;
  });
  return {
    tokens: tokens.map((t) => tok.decode([t.id])),
    token_logprobs: tokens.map((t) => t.logprob),
    top_logprobs: tokens.map((t) => Object.fromEntries(t.top.map((a) => [a.text, a.logprob]))),
    text_offset,
  };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(body));
}
