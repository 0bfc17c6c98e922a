import { ApiClient, type ApiTransport } from '../../../main/api/apiClient';
import { connectionStore } from '../workbench/connectionStore';
import { readLaunchToken, socketProtocols } from './launchToken';
import { createReconnectingTransport } from './reconnectingTransport';

declare global {
  interface Window {
    /** The Electron preload's bridge: exactly an ApiTransport. Absent in a browser. */
    studio?: ApiTransport;
  }
}

let client: ApiClient | null = null;
let stopTransport: (() => void) | null = null;
const reconnectedListeners = new Set<() => void>();

/** The serve-mode socket URL: same host, `/api`; the launch token travels as a subprotocol. */
export function socketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api`;
}

/** Picks the transport once: Electron's preload bridge when present, else the WebSocket. */
export function startApi(): ApiClient {
  if (client) return client;
  if (window.studio) {
    connectionStore.getState().set('connected', 0);
    client = new ApiClient(window.studio);
    return client;
  }
  const transport = createReconnectingTransport({
    // Read at every attempt: the token is this tab's, and a reconnect must present it again.
    openSocket: () => new WebSocket(socketUrl(window.location), socketProtocols(readLaunchToken(window.sessionStorage) ?? '')),
    onState: (state, attempt) => connectionStore.getState().set(state, attempt),
  });
  stopTransport = () => transport.dispose();
  transport.onReconnected(() => {
    for (const l of reconnectedListeners) l();
  });
  client = new ApiClient(transport);
  return client;
}

/** Stops reconnecting (the page has nothing left to say to this server, e.g. its token is stale). */
export function stopApi(): void {
  stopTransport?.();
}

export function api(): ApiClient {
  if (!client) throw new Error('startApi() has not run');
  return client;
}

/** Called after the socket comes back, so views reload what they show. */
export function onReconnected(listener: () => void): () => void {
  reconnectedListeners.add(listener);
  return () => reconnectedListeners.delete(listener);
}
