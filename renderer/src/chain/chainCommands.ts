import { CHAIN_SECTIONS } from './chainViews';
import { chainEventsStore } from './explorer/chainEventsStore';
import { chainStore } from './devnet/chainStore';
import { confirmStore } from '../workbench/confirmStore';
import { keysStore } from './keys/keysStore';
import { networksStore } from './networks/networksStore';
import { publicationsStore } from './publishing/publicationsStore';
import { workbenchStore } from '../workbench/workbenchStore';
import type { Command } from '../workbench/commands/commandRegistry';
import { openChainView } from './chainTabs';

const chain = () => chainStore.getState();
const runningIdle = () => (chain().status?.running ?? false) && chain().busy === null;

/** Asks first: a reset empties the chain, and confirmed publications on it become 'lost'. */
export async function confirmAndResetDevnet(): Promise<void> {
  const ok = await confirmStore.getState().ask({
    title: 'Reset the local devnet?',
    message:
      'This empties the chain: every block, transaction, balance change and event since genesis is gone, and the protocol is deployed again at new addresses. Publications confirmed on it become "lost". Snapshots are forgotten.',
    confirmLabel: 'Reset devnet',
    danger: true,
  });
  if (ok) await chain().reset();
}

/**
 * The chain's commands: start, stop and refresh the devnet, a tab for each explorer section, the
 * devnet's snapshot, revert and reset, and the forms for remote networks and keys.
 */
export function chainCommands(): Command[] {
  return [
    {
      id: 'chain.start',
      title: 'Start Local Devnet',
      category: 'Chain',
      icon: 'play',
      enabled: () => !chainStore.getState().status?.running && chainStore.getState().busy === null,
      run: () => chainStore.getState().start(),
    },
    {
      id: 'chain.stop',
      title: 'Stop Local Devnet',
      category: 'Chain',
      icon: 'debug-stop',
      enabled: () => (chainStore.getState().status?.running ?? false) && chainStore.getState().busy === null,
      run: () => chainStore.getState().stop(),
    },
    {
      id: 'chain.refresh',
      title: 'Refresh Chain Status',
      category: 'Chain',
      icon: 'refresh',
      run: () => chainStore.getState().load(),
    },
    ...CHAIN_SECTIONS.map((section) => ({
      id: section.command,
      title: `Open ${section.title}`,
      category: 'Chain',
      icon: section.icon,
      run: () => {
        workbenchStore.getState().showActivity('chain');
        openChainView({ page: section.page });
      },
    })),
    {
      id: 'chain.snapshot',
      title: 'Take Devnet Snapshot',
      category: 'Chain',
      icon: 'device-camera',
      enabled: runningIdle,
      run: () => chain().snapshot(),
    },
    {
      id: 'chain.revertLatest',
      title: 'Revert Devnet to Latest Snapshot',
      category: 'Chain',
      icon: 'history',
      enabled: () => runningIdle() && chain().snapshots.length > 0,
      run: async () => {
        const latest = chain().snapshots[0];
        if (latest) await chain().revert(latest.id);
      },
    },
    {
      id: 'chain.reset',
      title: 'Reset Devnet…',
      category: 'Chain',
      icon: 'trash',
      enabled: runningIdle,
      run: confirmAndResetDevnet,
    },
    // Remote networks and keys: the forms live in the Chain side bar; these open and focus them.
    {
      id: 'networks.add',
      title: 'Add Network…',
      category: 'Chain',
      icon: 'add',
      run: () => {
        workbenchStore.getState().showActivity('chain');
        networksStore.getState().requestAdd();
      },
    },
    {
      id: 'networks.checkAll',
      title: 'Check Remote Networks',
      category: 'Chain',
      icon: 'plug',
      enabled: () => networksStore.getState().networks.some((n) => !n.builtIn),
      run: async () => {
        await Promise.all(
          networksStore
            .getState()
            .networks.filter((n) => !n.builtIn)
            .map((n) => networksStore.getState().check(n.name)),
        );
      },
    },
    {
      id: 'keys.create',
      title: 'Create Key…',
      category: 'Keys',
      icon: 'add',
      run: () => {
        workbenchStore.getState().showActivity('chain');
        keysStore.getState().openForm('create');
      },
    },
    {
      id: 'keys.import',
      title: 'Import Key…',
      category: 'Keys',
      icon: 'key',
      run: () => {
        workbenchStore.getState().showActivity('chain');
        keysStore.getState().openForm('import');
      },
    },
    {
      id: 'chain.events.togglePause',
      title: 'Pause or Resume Event Feed',
      category: 'Chain',
      icon: 'debug-pause',
      run: () => chainEventsStore.getState().togglePause(),
    },
    {
      id: 'chain.events.clear',
      title: 'Clear Event Feed',
      category: 'Chain',
      icon: 'clear-all',
      run: () => chainEventsStore.getState().clear(),
    },
    {
      id: 'chain.publications.refresh',
      title: 'Refresh Publications',
      category: 'Chain',
      icon: 'refresh',
      run: () => publicationsStore.getState().load(),
    },
  ];
}
