import WebSocket from 'ws';
import { ApiClient } from '../../main/api/apiClient';
import { createSocketTransport } from '../../main/api/socketTransport';
import { StudioCore } from '../../main/core/studioCore';
import { serveStudio, type RunningServer } from '../../main/server/serveStudio';
import { tempDir } from './tempDir';

/**
 * A real core on a temp Studio home, served on a free loopback port. The devnet stays off unless
 * asked for: most tests need no Anvil, and CI has two cores.
 */
export async function startServer(
  opts: { devnet?: 'auto' | 'off'; home?: string } = {},
): Promise<{ core: StudioCore; server: RunningServer; home: string; stop(): Promise<void> }> {
  const home = opts.home ?? tempDir('studio-serve-');
  const core = StudioCore.open({ home, mode: 'serve', devnet: opts.devnet ?? 'off' });
  const server = await serveStudio(core, { port: 0, rendererDir: tempDir('studio-renderer-') });
  return {
    core,
    server,
    home,
    stop: async () => {
      await server.close();
      await core.close();
    },
  };
}

export function openSocket(server: RunningServer, opts: { token?: string | null; origin?: string; host?: string } = {}): WebSocket {
  const token = opts.token === undefined ? server.token : opts.token;
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (opts.host) headers.host = opts.host;
  return new WebSocket(`ws://127.0.0.1:${server.port}/api`, { headers, ...(opts.origin ? { origin: opts.origin } : {}) });
}

export async function connectClient(server: RunningServer): Promise<{ client: ApiClient; socket: WebSocket }> {
  const socket = openSocket(server);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { client: new ApiClient(createSocketTransport(socket as never)), socket };
}
