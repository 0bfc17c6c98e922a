import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow, Menu, app, dialog, session, shell } from 'electron';
import { StudioCore } from '../core/studioCore';
import { studioHome } from '../workspace/studioHome';
import { buildAppMenu } from './appMenu';
import { SafeStorageKeyBackend } from './safeStorageKeyBackend';
import { EVENT_CHANNEL, bridgeIpc } from './ipcBridge';
import { APP_ORIGIN, isAppUrl, registerAppScheme, serveRenderer } from './rendererProtocol';
import { loadWindowState, trackWindowState } from './windowState';

/**
 * Electron main, kept thin: one window, the menu, the IPC bridge and OS integration. All
 * behaviour lives in the core (plain Node), which this process hosts.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '..', 'renderer');

if (!app.requestSingleInstanceLock()) {
  // Another Studio window owns this user's workspaces: it gets focus instead (see below).
  app.quit();
} else {
  registerAppScheme();
  let win: BrowserWindow | null = null;
  let core: StudioCore | null = null;

  app.on('second-instance', () => {
    if (win) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });

  app.on('web-contents-created', (_e, contents) => {
    // The workbench is a single page: no navigation away, no new windows, no webviews.
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    // A server redirect is a navigation too, and will-navigate does not see it.
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  app.whenReady().then(async () => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    serveRenderer(rendererDir);

    try {
      // Keys are sealed by the OS keychain when it is a real one; otherwise by passphrase.
      const keyBackend = (await SafeStorageKeyBackend.usable()) ? new SafeStorageKeyBackend() : undefined;
      core = StudioCore.open({ home: studioHome(), mode: 'electron', ...(keyBackend ? { keyBackend } : {}) });
    } catch (err) {
      dialog.showErrorBox('Attribution Studio cannot open its workspace', (err as Error).message);
      app.quit();
      return;
    }
    const openCore = core;

    const state = loadWindowState(app.getPath('userData'));
    win = new BrowserWindow({
      ...state.bounds,
      minWidth: 800,
      minHeight: 500,
      show: false,
      title: 'Attribution Studio',
      backgroundColor: '#1e1e1e',
      webPreferences: {
        preload: path.join(here, 'preload.cjs'),
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    if (state.maximized) win.maximize();
    trackWindowState(win, state.file);
    win.once('ready-to-show', () => win?.show());
    win.on('closed', () => (win = null));

    bridgeIpc(openCore, () => win);
    const sendCommand = (id: string) => win?.webContents.send(EVENT_CHANNEL, { event: 'app.command', data: { id } });
    Menu.setApplicationMenu(buildAppMenu(() => win, sendCommand, () => void shell.openPath(openCore.workspace.layout.root)));
    await win.loadURL(`${APP_ORIGIN}/index.html`);
  });

  app.on('window-all-closed', () => app.quit());

  let closing = false;
  app.on('before-quit', (event) => {
    if (!core || closing) return;
    // Let running jobs end as cancelled and the database checkpoint before exiting.
    event.preventDefault();
    closing = true;
    void core.close().finally(() => app.exit(0));
  });
}
