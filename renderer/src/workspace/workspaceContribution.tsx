import { lazy, Suspense } from 'react';
import { loadWorkspaceData } from '../api/session';
import { type Contribution, editor } from '../workbench/contributions';
import { activeTab } from '../workbench/tabs';
import { workbenchStore } from '../workbench/workbenchStore';
import { settingsStore } from './settingsStore';
import { WelcomeEditor } from './WelcomeEditor';
import { openSettings, openWelcome } from './workspaceTabs';
import { WorkspaceSideBar } from './WorkspaceSideBar';
import { workspaceStore } from './workspaceStore';

// Monaco is large: it loads with the first settings tab, not with the workbench.
const SettingsEditor = lazy(() => import('./SettingsEditor').then((m) => ({ default: m.SettingsEditor })));

const wb = () => workbenchStore.getState();
const settingsTabActive = () => activeTab(wb().tabs)?.input.kind === 'settings';

/** The open workspace: its side bar (switch, create), overview tab, settings editor and commands. */
export const workspaceContribution: Contribution = {
  id: 'workspace',
  activity: { title: 'Workspace', icon: 'home', keybinding: 'Mod+Shift+1', SideBar: WorkspaceSideBar },
  editors: [
    editor('welcome', () => <WelcomeEditor />),
    editor('settings', ({ tabId }) => (
      <Suspense fallback={<div className="progress-line" role="progressbar" aria-label="Loading editor" />}>
        <SettingsEditor tabId={tabId} />
      </Suspense>
    )),
  ],
  commands: [
    {
      id: 'settings.open',
      title: 'Open Workspace Settings',
      category: 'Preferences',
      keybinding: 'Mod+,',
      icon: 'settings-gear',
      globalKey: true,
      run: openSettings,
    },
    {
      id: 'settings.save',
      title: 'Save Settings',
      category: 'Preferences',
      keybinding: 'Mod+S',
      icon: 'save',
      globalKey: true,
      enabled: settingsTabActive,
      run: () => settingsStore.getState().save(),
    },
    {
      id: 'settings.revert',
      title: 'Revert Settings to Saved',
      category: 'Preferences',
      icon: 'discard',
      enabled: () => settingsStore.getState().draft !== settingsStore.getState().savedText,
      run: () => settingsStore.getState().load(),
    },
    {
      id: 'workspace.openOverview',
      title: 'Open Workspace Overview',
      category: 'Workspace',
      icon: 'home',
      run: openWelcome,
    },
    {
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
    },
    {
      id: 'workspace.create',
      title: 'Create Workspace…',
      category: 'Workspace',
      icon: 'new-folder',
      run: () => wb().requestCreateWorkspace(),
    },
    {
      id: 'workspace.reload',
      title: 'Reload Workspace Data',
      category: 'Workspace',
      icon: 'refresh',
      run: loadWorkspaceData,
    },
  ],
};
