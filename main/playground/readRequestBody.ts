import type http from 'node:http';
import { OpenAiError } from './OpenAiError';

/** The /v1 routes' cap on a request body: prompts and chat histories, never files. */
export const MAX_REQUEST_BODY = 1 << 20;

/** Reads a request's whole body, refusing (413, OpenAI's error shape) past the cap before buffering more. */
export async function readRequestBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY) throw new OpenAiError(413, `The request body is over ${MAX_REQUEST_BODY} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
