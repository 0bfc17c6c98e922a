import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ErrorCode } from '../api/apiError';
import type { ResponseMessage } from '../api/wire';
import { MAX_MESSAGE_BYTES } from '../api/wire';
import type { StudioCore } from '../core/studioCore';
import { APP_ORIGIN } from './rendererProtocol';

export const REQUEST_CHANNEL = 'studio:request';
export const EVENT_CHANNEL = 'studio:event';

/**
 * Carries the API over Electron IPC. Only our own renderer origin may call; the payload is
 * checked for shape and size before the core (which validates params) sees it.
 */
export function bridgeIpc(core: StudioCore, getWindow: () => BrowserWindow | null): () => void {
  const fail = (code: string, message: string): ResponseMessage => ({ type: 'response', id: null, ok: false, error: { code, message } });

  ipcMain.handle(REQUEST_CHANNEL, async (event: IpcMainInvokeEvent, payload: unknown): Promise<ResponseMessage> => {
    const origin = event.senderFrame?.origin ?? '';
    if (origin !== APP_ORIGIN) return fail(ErrorCode.Unauthorized, `Requests from ${origin || 'an unknown frame'} are refused.`);
    if (typeof payload !== 'object' || payload === null) return fail(ErrorCode.InvalidRequest, 'Request must be an object {method, params}.');
    const { method, params } = payload as { method?: unknown; params?: unknown };
    if (typeof method !== 'string' || method.length > 128) return fail(ErrorCode.InvalidRequest, 'Request method must be a string.');
    const size = JSON.stringify(params ?? null).length;
    if (size > MAX_MESSAGE_BYTES) return fail(ErrorCode.MessageTooLarge, `Params of ${size} bytes exceed the ${MAX_MESSAGE_BYTES}-byte limit.`);
    return { type: 'response', id: null, ...(await core.request(method, params)) };
  });

  const unsubscribe = core.onEvent((event, data) => {
    const win = getWindow();
    if (win && !win.isDestroyed()) win.webContents.send(EVENT_CHANNEL, { event, data });
  });
  return () => {
    unsubscribe();
    ipcMain.removeHandler(REQUEST_CHANNEL);
  };
}
