import { Menu, app, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Items that act on the workbench send a command id to the renderer,
 * which runs it through the same command registry as the palette.
 */
export function buildAppMenu(getWindow: () => BrowserWindow | null, sendCommand: (id: string) => void, revealWorkspace: () => void): Menu {
  const isMac = process.platform === 'darwin';
  const cmd = (label: string, id: string, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator } : {}),
    click: () => sendCommand(id),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        cmd('New Workspace…', 'workspace.create'),
        cmd('Switch Workspace…', 'workspace.switch'),
        { type: 'separator' },
        cmd('Settings', 'settings.open', 'CmdOrCtrl+,'),
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        cmd('Command Palette…', 'workbench.commandPalette', 'CmdOrCtrl+Shift+P'),
        cmd('Toggle Theme', 'workbench.toggleTheme'),
        cmd('Toggle Panel', 'workbench.togglePanel', 'CmdOrCtrl+J'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        ...(app.isPackaged ? [] : [{ type: 'separator' as const }, { role: 'reload' as const }, { role: 'toggleDevTools' as const }]),
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        cmd('Show Logs', 'panel.logs'),
        { label: 'Open Workspace Folder', click: revealWorkspace },
        { type: 'separator' },
        { label: `About ${app.getName()}`, click: () => getWindow() && app.showAboutPanel() },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
