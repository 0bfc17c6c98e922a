import { describe, expect, it } from 'vitest';
import { type ConnectionState, createReconnectingTransport, reconnectDelayMs } from './reconnectingTransport';

/** A WebSocket stand-in the test drives by hand. */
class FakeSocket {
  sent: string[] = [];
  private listeners: Record<string, ((ev: { data: unknown }) => void)[]> = {};
  addEventListener(type: string, l: (ev: { data: unknown }) => void) {
    (this.listeners[type] ??= []).push(l);
  }
  emit(type: string, data?: unknown) {
    for (const l of this.listeners[type] ?? []) l({ data });
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.emit('close');
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const states: ConnectionState[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const transport = createReconnectingTransport({
    openSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    onState: (s) => states.push(s),
    requestWaitMs: 1000,
    attemptsBeforeDisconnected: 2,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (h) => {
      (h as { cleared: boolean }).cleared = true;
    },
  });
  const fire = (ms: number) => {
    for (const t of timers.filter((x) => x.ms === ms && !x.cleared)) {
      t.cleared = true;
      t.fn();
    }
  };
  return { transport, sockets, states, timers, fire };
}

const respond = (socket: FakeSocket, index: number, result: unknown) => {
  const req = JSON.parse(socket.sent[index]!) as { id: number };
  socket.emit('message', JSON.stringify({ type: 'response', id: req.id, ok: true, result }));
};

describe('createReconnectingTransport', () => {
  it('holds requests until the socket opens, then sends them', async () => {
    const { transport, sockets, states } = setup();
    const pending = transport.request('app.info', {});
    expect(sockets[0]!.sent).toHaveLength(0);
    sockets[0]!.emit('open');
    await Promise.resolve();
    await Promise.resolve();
    expect(JSON.parse(sockets[0]!.sent[0]!)).toMatchObject({ type: 'request', method: 'app.info' });
    respond(sockets[0]!, 0, { version: '1' });
    await expect(pending).resolves.toMatchObject({ ok: true, result: { version: '1' } });
    expect(states).toEqual(['connecting', 'connected']);
  });

  it('reconnects with backoff, keeps event listeners, and says when it is back', async () => {
    const { transport, sockets, states, fire } = setup();
    const events: string[] = [];
    let reconnected = 0;
    transport.onEvent((name) => events.push(name));
    transport.onReconnected(() => reconnected++);
    sockets[0]!.emit('open');
    sockets[0]!.emit('message', JSON.stringify({ type: 'event', event: 'log', data: {} }));
    sockets[0]!.emit('close');
    expect(states.at(-1)).toBe('reconnecting');
    fire(reconnectDelayMs(1));
    expect(sockets).toHaveLength(2);
    sockets[1]!.emit('close');
    fire(reconnectDelayMs(2));
    sockets[2]!.emit('close');
    expect(states.at(-1)).toBe('disconnected');
    fire(reconnectDelayMs(3));
    sockets[3]!.emit('open');
    sockets[3]!.emit('message', JSON.stringify({ type: 'event', event: 'job.updated', data: {} }));
    expect(states.at(-1)).toBe('connected');
    expect(events).toEqual(['log', 'job.updated']);
    expect(reconnected).toBe(1);
  });

  it('fails a waiting request with DISCONNECTED when the core stays away', async () => {
    const { transport, fire } = setup();
    const pending = transport.request('app.info', {});
    fire(1000);
    await expect(pending).resolves.toMatchObject({ ok: false, error: { code: 'DISCONNECTED' } });
  });

  it('backs off up to 8 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(reconnectDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
});
