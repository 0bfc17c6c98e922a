import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startStudio, stopStudio, type StudioServer } from '../support/serveProcess';
import { exchange, expectServerAnswers, openApi, opened, type Outcome } from './probeClient';

/**
 * A bounded, seeded fuzz of the WebSocket envelope against a real `studio serve`. Each mutated
 * message must get a clean error (a coded error other than INTERNAL), a normal answer, or, for
 * frames `ws` itself refuses, a protocol close of that one socket; after every batch the server
 * must still answer a connected client and a new one. FUZZ_SEED replays another run.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261205);
const COUNT = 320;

/** mulberry32: small, seedable, good enough to pick mutations. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Methods that only read: fuzzing their params cannot change what later checks rely on.
const READ_METHODS = ['app.info', 'workspace.list', 'workspace.current', 'settings.get', 'jobs.list', 'jobs.get', 'artifacts.list', 'artifacts.get', 'logs.recent', 'chain.status', 'chain.blocks', 'chain.block', 'chain.transaction', 'chain.account', 'chain.contracts', 'publications.list', 'networks.list', 'keys.list'];
// Methods that write: only ever sent params that cannot be an object, so never valid.
const WRITE_METHODS = ['workspace.create', 'workspace.open', 'jobs.start', 'jobs.cancel', 'chain.reset', 'chain.revert', 'chain.write', 'networks.add', 'keys.create', 'keys.remove', 'chain.confirmWrite'];

interface Case {
  label: string;
  data: string | Buffer;
  binary?: boolean;
  /** The id a well-formed envelope carried: its error must come back under it. */
  id?: string | number;
}

function generator(random: () => number) {
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const junkString = () => pick(['', 'x', '\u0000', '\u202e', '🙂'.repeat(int(50)), 'a'.repeat(int(5000)), '../../etc/passwd', '__proto__', '%E0%A4%A', '{"a":1}']);
  const junkScalar = (): unknown => pick([null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, junkString()]);
  const junkValue = (depth = 0): unknown => {
    const r = random();
    if (depth > 3 || r < 0.5) return junkScalar();
    if (r < 0.75) return Array.from({ length: int(4) }, () => junkValue(depth + 1));
    const o: Record<string, unknown> = {};
    for (let i = 0; i < int(4); i++) o[pick(['id', 'name', 'path', 'params', '__proto__', 'constructor', junkString().slice(0, 20)])] = junkValue(depth + 1);
    return o;
  };
  const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  return (): Case => {
    const id = int(1_000_000);
    const base = { type: 'request', id, method: pick(READ_METHODS), params: {} as unknown };
    switch (int(10)) {
      case 0: {
        const field = pick(['type', 'id', 'method', 'params', 'extra']);
        return { label: `wrong ${field}`, data: JSON.stringify({ ...base, [field]: junkValue() }) };
      }
      case 1: {
        const huge = pick([2 ** 53 + 10, 1e300, -5, 3.25, 'i'.repeat(65), 'i'.repeat(64)]);
        return { label: `id ${String(huge).slice(0, 12)}`, data: JSON.stringify({ ...base, id: huge }) };
      }
      case 2:
        return { label: 'unknown method', data: JSON.stringify({ ...base, method: pick(['', 'no.such', 'constructor', '__proto__', 'toString', 'app.info.x', 'A'.repeat(200), junkString()]) }) };
      case 3:
        return { label: 'read method, junk params', id, data: JSON.stringify({ ...base, params: junkValue() }) };
      case 4:
        return { label: 'write method, params not an object', id, data: JSON.stringify({ ...base, method: pick(WRITE_METHODS), params: pick([1, 'x', true, [1], [{}]]) }) };
      case 5:
        return { label: 'binary frame', data: Buffer.from(JSON.stringify(base)), binary: true };
      case 6: {
        const text = JSON.stringify({ ...base, params: junkValue() });
        return { label: 'partial JSON', data: text.slice(0, 1 + int(text.length - 1)) };
      }
      case 7: {
        const depth = pick([63, 65, 200, 5000, 100_000]);
        return { label: `nesting ${depth}`, data: `{"type":"request","id":${id},"method":"app.info","params":{"a":${nested(depth)}}}` };
      }
      case 8:
        return { label: 'settings.update junk text', id, data: JSON.stringify({ ...base, method: 'settings.update', params: { text: pick(['', '{', '[]', 'null', '{"jobs":{"maxConcurrent":"many"}}', nested(300), junkString()]) } }) };
      default: {
        // Text that is not JSON at all, sometimes not even UTF-8.
        const bytes = Buffer.from(Array.from({ length: 1 + int(64) }, () => int(256)));
        return { label: 'random bytes as text', data: bytes };
      }
    }
  };
}

/** What counts as handled: a normal answer, a coded non-internal error, or a protocol close. */
function checkOutcome(c: Case, outcome: Outcome): string | null {
  if (outcome.kind === 'closed') {
    return [1002, 1007, 1009].includes(outcome.code) ? null : `socket closed with ${outcome.code}`;
  }
  const m = outcome.message;
  if (m.ok) return null;
  if (!m.error || !/^[A-Z_]+$/.test(m.error.code) || m.error.message.length === 0) return `malformed error ${JSON.stringify(m.error)}`;
  if (m.error.code === 'INTERNAL') return `INTERNAL: ${m.error.message}`;
  if (c.id !== undefined && m.id !== c.id) return `answered under id ${String(m.id)} instead of ${c.id}`;
  return null;
}

let server: StudioServer;
let child: ChildProcess;
let keeper: WebSocket;

beforeAll(async () => {
  ({ server, child } = await startStudio());
  keeper = openApi(server);
  await opened(keeper);
});
afterAll(async () => {
  keeper?.close();
  if (child) await stopStudio(child, server.home);
});

describe(`WebSocket envelope fuzz (seed ${SEED}, ${COUNT} messages)`, () => {
  it('answers or drops every mutated message cleanly and keeps answering its clients', async () => {
    const next = generator(prng(SEED));
    const problems: string[] = [];
    const seen = new Map<string, number>();
    let socket = openApi(server);
    await opened(socket);
    for (let i = 0; i < COUNT; i++) {
      const c = next();
      seen.set(c.label.split(' ')[0]!, (seen.get(c.label.split(' ')[0]!) ?? 0) + 1);
      const outcome = await exchange(socket, c.data, { binary: c.binary ?? false });
      const problem = checkOutcome(c, outcome);
      if (problem) problems.push(`#${i} ${c.label}: ${problem}`);
      if (outcome.kind === 'closed') {
        socket = openApi(server);
        await opened(socket);
      }
      if (i % 40 === 39) await expectServerAnswers(server, keeper);
    }
    socket.close();
    expect(problems, `seed ${SEED}`).toEqual([]);
    expect(child.exitCode).toBeNull();
    // Every kind of mutation was actually tried.
    expect(seen.size).toBeGreaterThanOrEqual(9);
    await expectServerAnswers(server, keeper);
  });
});
