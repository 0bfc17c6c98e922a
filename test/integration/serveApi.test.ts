import { migrations } from '../../main/workspace/migrations/index';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { ApiCallError } from '../../main/api/apiClient';
import type { Job } from '../../main/api/jobSchemas';
import { connectClient, openSocket, startServer } from '../support/startServer';
import { tempDir } from '../support/tempDir';

let ctx: Awaited<ReturnType<typeof startServer>>;
beforeEach(async () => {
  ctx = await startServer();
});
afterEach(async () => {
  await ctx.stop();
});

/** Sends raw text and resolves with the next message. */
function roundTrip(socket: WebSocket, text: string | Buffer): Promise<any> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString());
      if (msg.type === 'response') {
        socket.off('message', onMessage);
        resolve(msg);
      }
    };
    socket.on('message', onMessage);
    socket.send(text);
  });
}

const upgradeStatus = (socket: WebSocket) =>
  new Promise<number>((resolve) => {
    socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    socket.on('open', () => resolve(101));
    socket.on('error', () => resolve(-1));
  });

describe('the API over WebSocket (serve mode)', () => {
  it('answers typed calls against the real workspace database', async () => {
    const { client, socket } = await connectClient(ctx.server);
    const info = await client.call('app.info', {});
    expect(info.mode).toBe('serve');
    const ws = await client.call('workspace.current', {});
    expect(ws).toMatchObject({ name: 'demo', isDemo: true, schemaVersion: migrations.length });
    expect(fs.existsSync(path.join(ws.path, 'studio.db'))).toBe(true);
    const list = await client.call('workspace.list', {});
    expect(list.map((w) => [w.name, w.status])).toEqual([['demo', 'locked']]);
    socket.close();
  });

  it('streams job progress and log events, and the job lands in the table', async () => {
    const { client, socket } = await connectClient(ctx.server);
    const src = path.join(tempDir(), 'corpus.txt');
    fs.writeFileSync(src, 'a'.repeat(100_000));
    const statuses: string[] = [];
    const logs: string[] = [];
    const done = new Promise<Job>((resolve) => {
      client.on('job.updated', (job) => {
        statuses.push(job.status);
        if (job.status === 'succeeded' || job.status === 'failed') resolve(job);
      });
    });
    client.on('log', (entry) => logs.push(entry.message));
    await client.call('jobs.start', { kind: 'artifacts.import', params: { path: src } });
    const job = await done;
    expect(job.status).toBe('succeeded');
    expect(statuses[0]).toBe('queued');
    expect(logs.some((l) => l.includes('corpus.txt'))).toBe(true);
    const artifacts = await client.call('artifacts.list', {});
    expect(artifacts.map((a) => a.name)).toEqual(['corpus.txt']);
    expect((await client.call('jobs.list', {}))[0]?.id).toBe(job.id);
    socket.close();
  });

  it('returns errors as data naming the field, and the connection stays usable', async () => {
    const { client, socket } = await connectClient(ctx.server);
    const err = await client.call('workspace.create', { name: 'Not Valid!' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((err as Error).message).toMatch(/params\.name/);

    expect(await roundTrip(socket, '{not json')).toMatchObject({ ok: false, id: null, error: { code: 'INVALID_REQUEST' } });
    expect(await roundTrip(socket, JSON.stringify({ type: 'request', id: 7 }))).toMatchObject({ ok: false, id: 7, error: { code: 'INVALID_REQUEST' } });
    expect(await roundTrip(socket, JSON.stringify({ type: 'request', id: 8, method: 'no.such' }))).toMatchObject({ ok: false, id: 8, error: { code: 'UNKNOWN_METHOD' } });
    const huge = JSON.stringify({ type: 'request', id: 9, method: 'settings.update', params: { text: 'x'.repeat(2 * 1024 * 1024) } });
    expect(await roundTrip(socket, huge)).toMatchObject({ ok: false, error: { code: 'MESSAGE_TOO_LARGE' } });
    expect(await roundTrip(socket, Buffer.from([1, 2, 3]))).toMatchObject({ ok: false, error: { code: 'INVALID_REQUEST' } });

    // Still answering after all of that.
    expect((await client.call('workspace.current', {})).name).toBe('demo');
    socket.close();
  });

  it('rejects invalid settings without storing them, and stores valid ones', async () => {
    const { client, socket } = await connectClient(ctx.server);
    const { text, settings } = await client.call('settings.get', {});
    const bad = text.replace('"maxConcurrent": 2', '"maxConcurrent": "many"');
    await expect(client.call('settings.update', { text: bad })).rejects.toThrow(/jobs\.maxConcurrent/);
    expect((await client.call('settings.get', {})).settings).toEqual(settings);
    const changed = new Promise((resolve) => client.on('settings.changed', resolve));
    await client.call('settings.update', { text: text.replace('"fontSize": 13', '"fontSize": 15') });
    await changed;
    expect((await client.call('settings.get', {})).settings.editor.fontSize).toBe(15);
    socket.close();
  });

  it('switches workspaces, moving the lock', async () => {
    const { client, socket } = await connectClient(ctx.server);
    await client.call('workspace.create', { name: 'second' });
    const opened = await client.call('workspace.open', { name: 'second' });
    expect(opened.name).toBe('second');
    const list = await client.call('workspace.list', {});
    expect(Object.fromEntries(list.map((w) => [w.name, w.status]))).toEqual({ demo: 'ok', second: 'locked' });
    socket.close();
  });
});

describe('serve mode refuses what is not ours', () => {
  it('refuses the API over HTTP without the token (401) and never sets a cookie', async () => {
    const base = `http://127.0.0.1:${ctx.server.port}`;
    expect((await fetch(`${base}/api`)).status).toBe(401);
    expect((await fetch(`${base}/api/session`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/api/session`, { headers: { authorization: `Bearer ${ctx.server.token}` } })).status).toBe(204);
    expect((await fetch(`${base}/?token=wrong`)).status).toBe(401);
    const first = await fetch(ctx.server.url, { redirect: 'manual' });
    expect(first.headers.get('set-cookie')).toBeNull();
    expect(first.headers.get('location')).toBeNull();
    // The renderer folder of this test is empty: the server says the build is missing.
    expect(first.status).toBe(500);
    expect(await first.text()).toMatch(/npm run build/);
    expect(first.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it('refuses WebSocket upgrades without the token, from foreign origins, or with a rebound Host', async () => {
    expect(await upgradeStatus(openSocket(ctx.server, { token: null }))).toBe(401);
    expect(await upgradeStatus(openSocket(ctx.server, { token: 'nope' }))).toBe(401);
    expect(await upgradeStatus(openSocket(ctx.server, { origin: 'https://evil.example' }))).toBe(403);
    expect(await upgradeStatus(openSocket(ctx.server, { host: `attacker.example:${ctx.server.port}` }))).toBe(403);
    const ok = openSocket(ctx.server, { origin: `http://localhost:${ctx.server.port}`, host: `localhost:${ctx.server.port}` });
    expect(await upgradeStatus(ok)).toBe(101);
    ok.close();
  });

  it('binds to loopback only: another interface of this machine gets no answer', async () => {
    expect(ctx.server.url.startsWith('http://127.0.0.1:')).toBe(true);
    const external = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal);
    if (!external) return; // A machine with loopback only has nothing else to reach.
    const reached = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: external.address, port: ctx.server.port }, () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    expect(reached).toBe(false);
  });
});
