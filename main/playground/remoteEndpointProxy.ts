import type http from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { OpenAiError } from './OpenAiError';
import { readRequestBody } from './readRequestBody';

export const REMOTE_PREFIX = '/v1/studio/remote/';
const PATHS = new Set(['models', 'completions', 'chat/completions']);

/** The remote base URL the playground names: http(s), no credentials in it; the reason otherwise. */
export function remoteBaseUrl(raw: string | undefined): URL {
  if (!raw) throw new OpenAiError(400, 'x-studio-remote-base-url: the remote endpoint\'s base URL is missing (e.g. http://host:8000/v1).', 'invalid_request_error', 'invalid_value', 'x-studio-remote-base-url');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OpenAiError(400, `x-studio-remote-base-url: "${raw}" is not a URL (e.g. http://host:8000/v1).`, 'invalid_request_error', 'invalid_value', 'x-studio-remote-base-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OpenAiError(400, `x-studio-remote-base-url: "${raw}" is not http or https.`, 'invalid_request_error', 'invalid_value', 'x-studio-remote-base-url');
  if (url.username || url.password) throw new OpenAiError(400, 'x-studio-remote-base-url: put the key in the API key field, not in the URL.', 'invalid_request_error', 'invalid_value', 'x-studio-remote-base-url');
  return url;
}

/**
 * The playground's way to another OpenAI-compatible endpoint (vLLM, LoRAX, another machine's
 * Studio): the page's content security policy lets it fetch its own origin only, and most servers
 * send no CORS headers, so this serve forwards the request and streams the answer back as it
 * comes. It sits behind the launch token like the rest of /v1, so only this user can send through
 * it; the remote key travels in a header and is neither logged nor stored.
 */
export async function proxyRemote(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, headers: Record<string, string>): Promise<void> {
  const rest = pathname.slice(REMOTE_PREFIX.length);
  if (!PATHS.has(rest)) throw new OpenAiError(404, `Unknown remote endpoint ${rest}; the playground forwards models, completions and chat/completions.`, 'invalid_request_error', 'unknown_url');
  const base = remoteBaseUrl(header(req, 'x-studio-remote-base-url'));
  const key = header(req, 'x-studio-remote-key');
  const target = `${base.href.replace(/\/+$/, '')}/${rest}`;
  const method = rest === 'models' ? 'GET' : 'POST';
  if (req.method !== method) throw new OpenAiError(405, `Use ${method} for ${pathname}.`);
  let body: Buffer | undefined;
  if (method === 'POST') {
    body = await readRequestBody(req);
  }
  const abort = new AbortController();
  // The page stopped (or went away): the remote request ends too.
  res.on('close', () => abort.abort());
  let upstream: Response;
  try {
    upstream = await fetch(target, {
      method,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      ...(body ? { body } : {}),
      signal: abort.signal,
    });
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new OpenAiError(502, `The remote endpoint ${target} could not be reached: ${cause ?? (err as Error).message}`, 'server_error', 'remote_unreachable');
  }
  res.writeHead(upstream.status, { ...headers, 'content-type': upstream.headers.get('content-type') ?? 'application/json', 'cache-control': 'no-cache' });
  res.flushHeaders();
  if (!upstream.body) return void res.end();
  Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>)
    .on('error', () => res.end())
    .pipe(res);
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
