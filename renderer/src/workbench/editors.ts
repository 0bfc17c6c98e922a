import type { Artifact } from '../../../main/api/schemas';
import type { CapabilityId } from './capabilities';
import { type ChainView, chainTabIcon, chainTabTitle } from '../chain/chainViews';
import { ACTIVITY_META } from './layout';
import { shortSha } from '../base/format';
import { workbenchStore } from './workbenchStore';

/** Opening a tab for each kind of editor; the title and icon live here, once. */
export function openWelcome(): void {
  workbenchStore.getState().openTab({ title: 'Workspace Overview', icon: 'home', input: { kind: 'welcome' } });
}

export function openSettings(): void {
  workbenchStore.getState().openTab({ title: 'Settings', icon: 'settings-gear', input: { kind: 'settings' } });
}

export function openArtifact(artifact: Pick<Artifact, 'sha256' | 'name'>): void {
  workbenchStore.getState().openTab({
    title: artifact.name || shortSha(artifact.sha256),
    icon: 'file-binary',
    input: { kind: 'artifact', sha256: artifact.sha256, name: artifact.name },
  });
}

export function openCapability(activity: CapabilityId): void {
  const meta = ACTIVITY_META[activity];
  workbenchStore.getState().openTab({ title: meta.title, icon: meta.icon, input: { kind: 'capability', activity } });
}

/** An explorer tab: a list (blocks, events…) or one block or transaction. */
export function openChainView(view: ChainView): void {
  workbenchStore.getState().openTab({ title: chainTabTitle(view), icon: chainTabIcon(view), input: { kind: 'chain', view } });
}
