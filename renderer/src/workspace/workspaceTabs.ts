import { workbenchStore } from '../workbench/workbenchStore';

declare module '../workbench/tabs' {
  interface TabInputs {
    welcome: object;
    settings: object;
  }
}

/** Opening the workspace's tabs; the title and icon live here, once. */
export function openWelcome(): void {
  workbenchStore.getState().openTab({ title: 'Workspace Overview', icon: 'home', input: { kind: 'welcome' } });
}

export function openSettings(): void {
  workbenchStore.getState().openTab({ title: 'Settings', icon: 'settings-gear', input: { kind: 'settings' } });
}
