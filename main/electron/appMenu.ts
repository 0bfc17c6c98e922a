import { MENU_COMMANDS } from '../api/menuCommands';
import { Menu, app, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';

/**
 * The application menu. Items that act on the workbench send a command id to the renderer,
 * which runs it through the same command registry as the palette.
 */
export function buildAppMenu(getWindow: () => BrowserWindow | null, sendCommand: (id: string) => void, revealWorkspace: () => void): Menu {
  const isMac = process.platform === 'darwin';
  // The renderer handles these shortcuts itself (they work in serve mode too); the menu only
  // shows them. registerAccelerator: false keeps a key press from running a command twice.
  const cmd = (label: string, id: string, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    ...(accelerator ? { accelerator, registerAccelerator: false } : {}),
    click: () => sendCommand(id),
  });
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        cmd('New Workspace…', MENU_COMMANDS.createWorkspace),
        cmd('Switch Workspace…', MENU_COMMANDS.switchWorkspace),
        { type: 'separator' },
        cmd('Settings', MENU_COMMANDS.openSettings, 'CmdOrCtrl+,'),
        { type: 'separator' },
        // Cmd/Ctrl+W closes the active editor tab, as in VS Code, not the window.
        cmd('Close Editor', MENU_COMMANDS.closeEditor, 'CmdOrCtrl+W'),
        ...(isMac ? [] : [{ type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        cmd('Command Palette…', MENU_COMMANDS.commandPalette, 'CmdOrCtrl+Shift+P'),
        cmd('Toggle Theme', MENU_COMMANDS.toggleTheme),
        cmd('Toggle Panel', MENU_COMMANDS.togglePanel, 'CmdOrCtrl+J'),
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
        cmd('Show Logs', MENU_COMMANDS.showLogs),
        { label: 'Open Workspace Folder', click: revealWorkspace },
        { type: 'separator' },
        { label: `About ${app.getName()}`, click: () => getWindow() && app.showAboutPanel() },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
