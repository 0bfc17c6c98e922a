// The playground's forwarding route to another OpenAI-compatible endpoint, on a real served core:
// the remote's answer comes back as it is (status, body), bad base URLs and unreachable hosts are
// answered in OpenAI's error shape, and the route is behind the launch token like the rest of /v1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../support/startServer';

let ctx: Awaited<ReturnType<typeof startServer>>;

beforeAll(async () => {
  ctx = await startServer();
});

afterAll(async () => {
  await ctx?.stop();
});

async function viaProxy(path: string, headers: Record<string, string>, token: string | null = ctx.server.token) {
  const res = await fetch(`http://127.0.0.1:${ctx.server.port}/v1/studio/remote/${path}`, {
    method: path === 'models' ? 'GET' : 'POST',
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    ...(path === 'models' ? {} : { body: JSON.stringify({ model: 'base', prompt: 'x', max_tokens: 1 }) }),
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { error?: { message: string; code: string | null; param: string | null }; object?: string; model?: string; choices?: unknown[] } };
}

describe('/v1/studio/remote', () => {
  it("forwards to the remote endpoint with the remote key and returns its answer (here this serve's own /v1)", async () => {
    const own = `http://127.0.0.1:${ctx.server.port}/v1`;
    // This serve's base is the built-in default model: the remote's completion comes back as it is.
    const r = await viaProxy('completions', { 'x-studio-remote-base-url': own, 'x-studio-remote-key': ctx.server.token });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ object: 'text_completion', model: 'base', choices: [{ index: 0 }] });
    // The remote key is the remote's business: a wrong one is the remote's 401.
    expect((await viaProxy('completions', { 'x-studio-remote-base-url': own, 'x-studio-remote-key': 'wrong' })).status).toBe(401);
  });

  it('refuses a bad base URL naming the header, and answers 502 for a host that does not answer', async () => {
    const bad = await viaProxy('completions', { 'x-studio-remote-base-url': 'not a url' });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ param: 'x-studio-remote-base-url', message: expect.stringMatching(/"not a url" is not a URL/) });
    expect((await viaProxy('completions', { 'x-studio-remote-base-url': 'file:///etc/v1' })).body.error?.message).toMatch(/not http or https/);
    expect((await viaProxy('completions', {})).body.error?.message).toMatch(/base URL is missing/);
    expect((await viaProxy('embeddings', { 'x-studio-remote-base-url': 'http://127.0.0.1:1/v1' })).status).toBe(404);
    const down = await viaProxy('completions', { 'x-studio-remote-base-url': 'http://127.0.0.1:1/v1' });
    expect(down.status).toBe(502);
    expect(down.body.error).toMatchObject({ code: 'remote_unreachable', message: expect.stringMatching(/http:\/\/127\.0\.0\.1:1\/v1\/completions could not be reached/) });
  });

  it('is behind the launch token', async () => {
    const r = await fetch(`http://127.0.0.1:${ctx.server.port}/v1/studio/remote/models`, { headers: { 'x-studio-remote-base-url': 'http://127.0.0.1:1/v1' } });
    expect(r.status).toBe(401);
  });
});
