import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

/**
 * The whole bridge: an ApiTransport (see main/api/apiClient.ts) and a channel for menu
 * commands. Nothing else of Node or Electron reaches the page. Channel names are literals
 * because a sandboxed preload cannot import the core's modules at run time.
 */
contextBridge.exposeInMainWorld('studio', {
  request: (method: string, params: unknown) => ipcRenderer.invoke('studio:request', { method, params }),
  onEvent: (listener: (event: string, data: unknown) => void) => {
    const handler = (_e: IpcRendererEvent, m: { event: string; data: unknown }) => listener(m.event, m.data);
    ipcRenderer.on('studio:event', handler);
    return () => ipcRenderer.removeListener('studio:event', handler);
  },
});
