import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startStudio, stopStudio, type StudioServer } from '../support/serveProcess';
import { call, exchange, expectServerAnswers, openApi, opened, rawHttp, rawRequest, statusOf } from './probeClient';

/**
 * The outside probes of issue 10 replayed against a real `studio serve` process. Every probe is
 * followed by the same check: a client connected before it is still answered, and a new one can
 * connect. A probe that kills the server fails its own test and every one after it.
 */
let server: StudioServer;
let child: ChildProcess;
let output: () => string;
let keeper: WebSocket;

beforeAll(async () => {
  ({ server, child, output } = await startStudio());
  keeper = openApi(server);
  await opened(keeper);
});
afterAll(async () => {
  keeper?.close();
  if (child) await stopStudio(child, server.home);
});
afterEach(async (ctx) => {
  if (child.exitCode !== null || child.signalCode !== null) {
    ctx.task.result?.errors?.push(new Error(`studio serve died:\n${output().slice(-2000)}`) as never);
  }
  await expectServerAnswers(server, keeper);
});

const TOKEN_NOT_UTF8 = 'studio_token=%E0%A4%A';

describe('requests that used to crash serve mode before authentication (finding 1)', () => {
  it('a cookie that does not URL-decode gets an answer, on a page and on the API', async () => {
    expect(statusOf(await rawHttp(server.port, rawRequest(server, '/', [`Cookie: ${TOKEN_NOT_UTF8}`])))).toBe(200);
    expect(statusOf(await rawHttp(server.port, rawRequest(server, '/api', [`Cookie: ${TOKEN_NOT_UTF8}`])))).toBe(401);
  });

  it('the same cookie on a WebSocket upgrade is refused, not fatal', async () => {
    const upgrade = rawRequest(server, '/api', [
      `Cookie: ${TOKEN_NOT_UTF8}`,
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    ]).replace('Connection: close', 'Connection: Upgrade');
    expect(statusOf(await rawHttp(server.port, upgrade))).toBe(401);
  });

  it('request targets that are not a path get 400: absolute-form, broken IPv6, authority-form', async () => {
    for (const target of ['http://[', 'http://[::1/', 'evil.example:443', '*']) {
      expect(statusOf(await rawHttp(server.port, rawRequest(server, target))), target).toBe(400);
    }
  });

  it('header abuse is answered by Node itself (oversized headers, bytes that are not HTTP)', async () => {
    expect(statusOf(await rawHttp(server.port, rawRequest(server, '/', [`X-Big: ${'a'.repeat(40_000)}`])))).toBe(431);
    expect(statusOf(await rawHttp(server.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x01, 0x00, 0x00, 0x00, 0x0d, 0x0a, 0x0d, 0x0a])))).toBe(400);
  });
});

describe('frames ws refuses close that socket only (finding 2)', () => {
  it('a frame over the payload limit closes the socket with 1009', async () => {
    const socket = openApi(server);
    await opened(socket);
    const outcome = await exchange(socket, 'x'.repeat(17 * 1024 * 1024));
    expect(outcome).toEqual({ kind: 'closed', code: 1009 });
  });

  it('a text frame that is not UTF-8 closes the socket with 1007', async () => {
    const socket = openApi(server);
    await opened(socket);
    const outcome = await exchange(socket, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(outcome).toEqual({ kind: 'closed', code: 1007 });
  });
});

describe('the launch token stays with this server (finding 3)', () => {
  it('the first load sets no cookie and redirects nowhere; the page keeps the token itself', async () => {
    const answer = await rawHttp(server.port, rawRequest(server, `/?token=${server.token}`));
    expect(statusOf(answer)).toBe(200);
    expect(answer).not.toMatch(/^set-cookie:/im);
    expect(answer).not.toMatch(/^location:/im);
    expect(answer).toMatch(/^cache-control: no-store/im);
    // A wrong token in the address is refused at once.
    expect(statusOf(await rawHttp(server.port, rawRequest(server, '/?token=wrong')))).toBe(401);
  });

  it('the API takes the token as Bearer or as the page subprotocol, never from the URL or a cookie', async () => {
    const page = openApi(server, {
      headers: { authorization: '', origin: server.origin },
      protocols: ['studio', `studio.token.${server.token}`],
    });
    await opened(page);
    // The server picks the plain protocol: the token is never echoed.
    expect(page.protocol).toBe('studio');
    expect((await call(page, 'app.info')).ok).toBe(true);
    page.close();

    const refusals: Array<[string, string[]]> = [
      [`/api?token=${server.token}`, []],
      ['/api', [`Cookie: studio_token=${server.token}`]],
      ['/api', ['Sec-WebSocket-Protocol: studio, studio.token.wrong']],
    ];
    for (const [target, lines] of refusals) {
      const upgrade = rawRequest(server, target, [...lines, 'Upgrade: websocket', 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==']);
      expect(statusOf(await rawHttp(server.port, upgrade.replace('Connection: close', 'Connection: Upgrade'))), target + lines.join()).toBe(401);
    }
    const session = (authorization: string) => fetch(`${server.origin}/api/session`, { headers: { authorization } });
    expect((await session(`Bearer ${server.token}`)).status).toBe(204);
    expect((await session('Bearer wrong')).status).toBe(401);
  });

  it('Host and Origin checks still stop rebinding and cross-site use, with a valid token', async () => {
    const refused = async (headers: Record<string, string>) => {
      const socket = openApi(server, { headers });
      return opened(socket).then(
        () => 'opened',
        (err: Error) => err.message,
      );
    };
    expect(await refused({ host: `rebind.example:${server.port}` })).toMatch(/403/);
    expect(await refused({ host: `127.0.0.1:${server.port + 1}` })).toMatch(/403/);
    expect(await refused({ origin: 'http://127.0.0.1:9' })).toMatch(/403/);
    expect(await refused({ origin: 'null' })).toMatch(/403/);
    expect(statusOf(await rawHttp(server.port, rawRequest(server, '/').replace(`127.0.0.1:${server.port}`, `rebind.example:${server.port}`)))).toBe(403);
  });
});

describe('no open redirect (finding 7)', () => {
  it('GET /.//evil.example/?token=T answers without a Location', async () => {
    for (const target of [`/.//evil.example/?token=${server.token}`, `//evil.example/?token=${server.token}`, `/%2F%2Fevil.example/?token=${server.token}`]) {
      const answer = await rawHttp(server.port, rawRequest(server, target));
      expect(answer, target).not.toMatch(/^location:/im);
      // The page (client-side route) or a 404 for a name with an extension; never a redirect.
      expect([200, 404], target).toContain(statusOf(answer));
    }
  });
});

describe('deep nesting is a validation error (finding 9)', () => {
  it('in settings.update text, naming line and column; the connection survives', async () => {
    const socket = openApi(server);
    await opened(socket);
    for (const text of ['['.repeat(100_000), '{"a":'.repeat(40_000), `{\n  "editor": ${'['.repeat(70)}`]) {
      const answer = await call(socket, 'settings.update', { text });
      expect(answer.error?.code).toBe('INVALID_REQUEST');
      expect(answer.error?.message).toMatch(/settings\.json, line \d+, column \d+: nests deeper than 64 levels/);
    }
    expect((await call(socket, 'settings.get')).ok).toBe(true);
    socket.close();
  });

  it('in any message envelope, before it is parsed', async () => {
    const socket = openApi(server);
    await opened(socket);
    const deep = `{"type":"request","id":5,"method":"app.info","params":{"x":${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    const outcome = await exchange(socket, deep);
    expect(outcome).toMatchObject({ kind: 'response', message: { ok: false, error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/nests deeper than 64/) } } });
    expect((await call(socket, 'app.info')).ok).toBe(true);
    socket.close();
  });
});
