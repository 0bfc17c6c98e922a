/**
 * Command ids the Electron menu sends to the renderer (event `app.command`). Shared so the
 * renderer's test can check that its command registry has every one of them.
 */
export const MENU_COMMANDS = {
  createWorkspace: 'workspace.create',
  switchWorkspace: 'workspace.switch',
  openSettings: 'settings.open',
  closeEditor: 'workbench.closeEditor',
  commandPalette: 'workbench.commandPalette',
  toggleTheme: 'workbench.toggleTheme',
  togglePanel: 'workbench.togglePanel',
  showLogs: 'panel.logs',
} as const;
