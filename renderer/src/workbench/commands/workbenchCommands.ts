import { logsStore } from '../logs/logsStore';
import { themeStore } from '../theming/themeStore';
import { toastStore } from '../toastStore';
import { workbenchStore } from '../workbenchStore';
import { workspaceStore } from '../../workspace/workspaceStore';
import type { Command } from './commandRegistry';

const wb = () => workbenchStore.getState();

/**
 * The workbench's own commands (palette, layout, tabs, theme, logs, about). Each domain brings
 * its commands in its contribution (workbench/contributions.tsx), and each activity gets its
 * `workbench.view.<id>` command when it is registered.
 */
export function workbenchCommands(): Command[] {
  return [
    {
      id: 'workbench.commandPalette',
      title: 'Show All Commands',
      category: 'View',
      keybinding: 'Mod+Shift+P',
      icon: 'symbol-event',
      globalKey: true,
      run: () => wb().openPalette('commands'),
    },
    {
      id: 'workbench.toggleSideBar',
      title: 'Toggle Primary Side Bar',
      category: 'View',
      keybinding: 'Mod+B',
      icon: 'layout-sidebar-left',
      globalKey: true,
      run: () => wb().toggleSideBar(),
    },
    {
      id: 'workbench.togglePanel',
      title: 'Toggle Panel',
      category: 'View',
      keybinding: 'Mod+J',
      icon: 'layout-panel',
      globalKey: true,
      run: () => wb().togglePanel(),
    },
    {
      id: 'panel.jobs',
      title: 'Show Jobs',
      category: 'View',
      keybinding: 'Mod+Shift+J',
      icon: 'server-process',
      globalKey: true,
      run: () => wb().showPanelView('jobs'),
    },
    {
      id: 'panel.logs',
      title: 'Show Logs',
      category: 'View',
      keybinding: 'Mod+Shift+U',
      icon: 'output',
      globalKey: true,
      run: () => wb().showPanelView('logs'),
    },
    {
      id: 'workbench.closeEditor',
      title: 'Close Editor',
      category: 'View',
      keybinding: 'Mod+W',
      icon: 'close',
      globalKey: true,
      enabled: () => wb().tabs.activeId !== null,
      run: () => {
        const id = wb().tabs.activeId;
        if (id) wb().closeTab(id);
      },
    },
    {
      id: 'workbench.nextEditor',
      title: 'Open Next Editor',
      category: 'View',
      keybinding: 'Mod+PageDown',
      globalKey: true,
      enabled: () => wb().tabs.tabs.length > 1,
      run: () => wb().cycleTab(1),
    },
    {
      id: 'workbench.previousEditor',
      title: 'Open Previous Editor',
      category: 'View',
      keybinding: 'Mod+PageUp',
      globalKey: true,
      enabled: () => wb().tabs.tabs.length > 1,
      run: () => wb().cycleTab(-1),
    },
    {
      id: 'workbench.toggleTheme',
      title: 'Toggle Light/Dark Theme',
      category: 'Preferences',
      keybinding: 'Mod+Alt+T',
      icon: 'color-mode',
      globalKey: true,
      run: () => themeStore.getState().toggle(),
    },
    {
      id: 'workbench.themeDark',
      title: 'Color Theme: Dark',
      category: 'Preferences',
      icon: 'color-mode',
      enabled: () => themeStore.getState().theme !== 'dark',
      run: () => themeStore.getState().setTheme('dark'),
    },
    {
      id: 'workbench.themeLight',
      title: 'Color Theme: Light',
      category: 'Preferences',
      icon: 'color-mode',
      enabled: () => themeStore.getState().theme !== 'light',
      run: () => themeStore.getState().setTheme('light'),
    },
    {
      id: 'logs.clear',
      title: 'Clear Logs',
      category: 'Logs',
      icon: 'clear-all',
      run: () => logsStore.getState().clear(),
    },
    {
      id: 'help.about',
      title: 'About Attribution Studio',
      category: 'Help',
      icon: 'info',
      run: () => {
        const info = workspaceStore.getState().appInfo;
        const text = info
          ? `Attribution Studio ${info.version} · ${info.mode} mode · ${info.platform} · Node ${info.nodeVersion}`
          : 'Attribution Studio: the core has not answered yet.';
        toastStore.getState().show('info', text);
      },
    },
  ];
}
