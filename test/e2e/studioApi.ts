import WebSocket from 'ws';
import { ApiClient } from '../../main/api/apiClient';
import { createSocketTransport } from '../../main/api/socketTransport';
import type { MethodName, MethodParams, MethodResult } from '../../main/api/contract';
import type { StudioServer } from './studioFixture';

/**
 * Calls the served core from the test process, as a script would (Bearer token), to set up
 * state the UI then has to show. One connection per call keeps tests independent.
 */
export async function callStudio<M extends MethodName>(server: StudioServer, method: M, params: MethodParams<M>): Promise<MethodResult<M>> {
  const socket = new WebSocket(`${server.origin.replace('http', 'ws')}/api`, { headers: { authorization: `Bearer ${server.token}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  try {
    return await new ApiClient(createSocketTransport(socket as never)).call(method, params);
  } finally {
    socket.close();
  }
}

/** Imports a file into the artifact store through the `artifacts.import` job and waits for it. */
export async function importArtifact(server: StudioServer, filePath: string, name: string) {
  const job = await callStudio(server, 'jobs.start', { kind: 'artifacts.import', params: { path: filePath, name } });
  for (let i = 0; i < 200; i++) {
    const now = await callStudio(server, 'jobs.get', { id: job.id });
    if (now.status === 'succeeded') return now;
    if (now.status !== 'queued' && now.status !== 'running') throw new Error(`import ${now.status}: ${now.error?.message}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('import did not finish in 20 s');
}
