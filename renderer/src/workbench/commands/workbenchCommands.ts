import { loadWorkspaceData } from '../../api/session';
import { activeTab } from '../tabs';
import { ACTIVITIES, ACTIVITY_META } from '../layout';
import { artifactsStore } from '../../artifacts/artifactsStore';
import { chainStore } from '../../chain/devnet/chainStore';
import { jobsStore } from '../../jobs/jobsStore';
import { logsStore } from '../logs/logsStore';
import { settingsStore } from '../../workspace/settingsStore';
import { themeStore } from '../theming/themeStore';
import { toastStore } from '../toastStore';
import { workbenchStore } from '../workbenchStore';
import { workspaceStore } from '../../workspace/workspaceStore';
import { registerChainCommands } from '../../chain/chainCommands';
import { openCapability, openSettings, openWelcome } from '../editors';
import { commands } from './registry';

const wb = () => workbenchStore.getState();
const settingsTabActive = () => activeTab(wb().tabs)?.input.kind === 'settings';

/** Registers every workbench command once, at start-up. */
export function registerWorkbenchCommands(): void {
  commands.register({
    id: 'workbench.commandPalette',
    title: 'Show All Commands',
    category: 'View',
    keybinding: 'Mod+Shift+P',
    icon: 'symbol-event',
    globalKey: true,
    run: () => wb().openPalette('commands'),
  });

  for (const id of ACTIVITIES) {
    const meta = ACTIVITY_META[id];
    commands.register({
      id: `workbench.view.${id}`,
      title: `Show ${meta.title}`,
      category: 'View',
      keybinding: meta.keybinding,
      icon: meta.icon,
      globalKey: true,
      run: () => wb().showActivity(id),
    });
  }
  for (const id of ['datanets', 'factory', 'playground', 'chain'] as const) {
    commands.register({
      id: `${id}.openOverview`,
      title: 'Open Overview',
      category: ACTIVITY_META[id].title,
      icon: ACTIVITY_META[id].icon,
      run: () => openCapability(id),
    });
  }

  commands.register({
    id: 'workbench.toggleSideBar',
    title: 'Toggle Primary Side Bar',
    category: 'View',
    keybinding: 'Mod+B',
    icon: 'layout-sidebar-left',
    globalKey: true,
    run: () => wb().toggleSideBar(),
  });
  commands.register({
    id: 'workbench.togglePanel',
    title: 'Toggle Panel',
    category: 'View',
    keybinding: 'Mod+J',
    icon: 'layout-panel',
    globalKey: true,
    run: () => wb().togglePanel(),
  });
  commands.register({
    id: 'panel.jobs',
    title: 'Show Jobs',
    category: 'View',
    keybinding: 'Mod+Shift+J',
    icon: 'server-process',
    globalKey: true,
    run: () => wb().showPanelView('jobs'),
  });
  commands.register({
    id: 'panel.logs',
    title: 'Show Logs',
    category: 'View',
    keybinding: 'Mod+Shift+U',
    icon: 'output',
    globalKey: true,
    run: () => wb().showPanelView('logs'),
  });

  commands.register({
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
  });
  commands.register({
    id: 'workbench.nextEditor',
    title: 'Open Next Editor',
    category: 'View',
    keybinding: 'Mod+PageDown',
    globalKey: true,
    enabled: () => wb().tabs.tabs.length > 1,
    run: () => wb().cycleTab(1),
  });
  commands.register({
    id: 'workbench.previousEditor',
    title: 'Open Previous Editor',
    category: 'View',
    keybinding: 'Mod+PageUp',
    globalKey: true,
    enabled: () => wb().tabs.tabs.length > 1,
    run: () => wb().cycleTab(-1),
  });

  commands.register({
    id: 'workbench.toggleTheme',
    title: 'Toggle Light/Dark Theme',
    category: 'Preferences',
    keybinding: 'Mod+Alt+T',
    icon: 'color-mode',
    globalKey: true,
    run: () => themeStore.getState().toggle(),
  });
  commands.register({
    id: 'workbench.themeDark',
    title: 'Color Theme: Dark',
    category: 'Preferences',
    icon: 'color-mode',
    enabled: () => themeStore.getState().theme !== 'dark',
    run: () => themeStore.getState().setTheme('dark'),
  });
  commands.register({
    id: 'workbench.themeLight',
    title: 'Color Theme: Light',
    category: 'Preferences',
    icon: 'color-mode',
    enabled: () => themeStore.getState().theme !== 'light',
    run: () => themeStore.getState().setTheme('light'),
  });
  commands.register({
    id: 'settings.open',
    title: 'Open Workspace Settings',
    category: 'Preferences',
    keybinding: 'Mod+,',
    icon: 'settings-gear',
    globalKey: true,
    run: openSettings,
  });
  commands.register({
    id: 'settings.save',
    title: 'Save Settings',
    category: 'Preferences',
    keybinding: 'Mod+S',
    icon: 'save',
    globalKey: true,
    enabled: settingsTabActive,
    run: () => settingsStore.getState().save(),
  });
  commands.register({
    id: 'settings.revert',
    title: 'Revert Settings to Saved',
    category: 'Preferences',
    icon: 'discard',
    enabled: () => settingsStore.getState().draft !== settingsStore.getState().savedText,
    run: () => settingsStore.getState().load(),
  });

  commands.register({
    id: 'workspace.openOverview',
    title: 'Open Workspace Overview',
    category: 'Workspace',
    icon: 'home',
    run: openWelcome,
  });
  commands.register({
    id: 'workspace.switch',
    title: 'Switch Workspace…',
    category: 'Workspace',
    keybinding: 'Mod+Alt+O',
    icon: 'arrow-swap',
    globalKey: true,
    run: () => {
      void workspaceStore.getState().refreshList();
      wb().openPalette('workspaces');
    },
  });
  commands.register({
    id: 'workspace.create',
    title: 'Create Workspace…',
    category: 'Workspace',
    icon: 'new-folder',
    run: () => wb().requestCreateWorkspace(),
  });
  commands.register({
    id: 'workspace.reload',
    title: 'Reload Workspace Data',
    category: 'Workspace',
    icon: 'refresh',
    run: loadWorkspaceData,
  });

  commands.register({
    id: 'artifacts.verify',
    title: 'Verify Artifact Store',
    category: 'Artifacts',
    icon: 'verified',
    run: async () => {
      const job = await jobsStore.getState().start({ kind: 'artifacts.verify', params: {} });
      if (job) wb().showPanelView('jobs');
    },
  });
  commands.register({
    id: 'artifacts.refresh',
    title: 'Refresh Artifacts',
    category: 'Artifacts',
    icon: 'refresh',
    run: () => artifactsStore.getState().load(),
  });

  commands.register({
    id: 'chain.start',
    title: 'Start Local Devnet',
    category: 'Chain',
    icon: 'play',
    enabled: () => !chainStore.getState().status?.running && chainStore.getState().busy === null,
    run: () => chainStore.getState().start(),
  });
  commands.register({
    id: 'chain.stop',
    title: 'Stop Local Devnet',
    category: 'Chain',
    icon: 'debug-stop',
    enabled: () => (chainStore.getState().status?.running ?? false) && chainStore.getState().busy === null,
    run: () => chainStore.getState().stop(),
  });
  commands.register({
    id: 'chain.refresh',
    title: 'Refresh Chain Status',
    category: 'Chain',
    icon: 'refresh',
    run: () => chainStore.getState().load(),
  });

  registerChainCommands();

  commands.register({
    id: 'jobs.refresh',
    title: 'Refresh Jobs',
    category: 'Jobs',
    icon: 'refresh',
    run: () => jobsStore.getState().load(),
  });
  commands.register({
    id: 'logs.clear',
    title: 'Clear Logs',
    category: 'Logs',
    icon: 'clear-all',
    run: () => logsStore.getState().clear(),
  });

  commands.register({
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
  });
}
