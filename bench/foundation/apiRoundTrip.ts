import WebSocket from 'ws';
import { ApiClient } from '../../main/api/apiClient';
import { createSocketTransport } from '../../main/api/socketTransport';
import { percentile, startBuiltServe } from './startBuiltServe';

const WARMUP = 200;
const CALLS = 3000;

/**
 * WebSocket API round trip on loopback against a separate serve process: sequential calls, so
 * each sample is one request's full latency (serialize, validate, handler, SQLite read, reply).
 */
export async function apiRoundTrip(): Promise<unknown> {
  const serve = await startBuiltServe();
  try {
    const socket = new WebSocket(`ws://127.0.0.1:${serve.port}/api`, { headers: { authorization: `Bearer ${serve.token}` } });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const client = new ApiClient(createSocketTransport(socket as never));
    const out: Record<string, unknown> = {};
    for (const method of ['app.info', 'workspace.current', 'jobs.list'] as const) {
      for (let i = 0; i < WARMUP; i++) await client.call(method, {});
      const samples: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        await client.call(method, {});
        samples.push((performance.now() - t) * 1000);
      }
      samples.sort((a, b) => a - b);
      out[method] = { calls: CALLS, p50_us: Math.round(percentile(samples, 50)), p99_us: Math.round(percentile(samples, 99)), max_us: Math.round(samples.at(-1)!) };
    }
    socket.close();
    return out;
  } finally {
    await serve.stop();
  }
}
