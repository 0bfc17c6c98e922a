import { CHAIN_SECTIONS } from './chainViews';
import { chainEventsStore } from './explorer/chainEventsStore';
import { chainStore } from './devnet/chainStore';
import { confirmStore } from '../workbench/confirmStore';
import { keysStore } from './keys/keysStore';
import { networksStore } from './networks/networksStore';
import { publicationsStore } from './publishing/publicationsStore';
import { workbenchStore } from '../workbench/workbenchStore';
import { openChainView } from '../workbench/editors';
import { commands } from '../workbench/commands/registry';

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

/** The explorer's commands: a tab for each section, and the devnet's snapshot, revert, reset. */
export function registerChainCommands(): void {
  for (const section of CHAIN_SECTIONS) {
    commands.register({
      id: section.command,
      title: `Open ${section.title}`,
      category: 'Chain',
      icon: section.icon,
      run: () => {
        workbenchStore.getState().showActivity('chain');
        openChainView({ page: section.page });
      },
    });
  }
  commands.register({
    id: 'chain.snapshot',
    title: 'Take Devnet Snapshot',
    category: 'Chain',
    icon: 'device-camera',
    enabled: runningIdle,
    run: () => chain().snapshot(),
  });
  commands.register({
    id: 'chain.revertLatest',
    title: 'Revert Devnet to Latest Snapshot',
    category: 'Chain',
    icon: 'history',
    enabled: () => runningIdle() && chain().snapshots.length > 0,
    run: async () => {
      const latest = chain().snapshots[0];
      if (latest) await chain().revert(latest.id);
    },
  });
  commands.register({
    id: 'chain.reset',
    title: 'Reset Devnet…',
    category: 'Chain',
    icon: 'trash',
    enabled: runningIdle,
    run: confirmAndResetDevnet,
  });
  // Remote networks and keys: the forms live in the Chain side bar; these open and focus them.
  commands.register({
    id: 'networks.add',
    title: 'Add Network…',
    category: 'Chain',
    icon: 'add',
    run: () => {
      workbenchStore.getState().showActivity('chain');
      networksStore.getState().requestAdd();
    },
  });
  commands.register({
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
  });
  commands.register({
    id: 'keys.create',
    title: 'Create Key…',
    category: 'Keys',
    icon: 'add',
    run: () => {
      workbenchStore.getState().showActivity('chain');
      keysStore.getState().openForm('create');
    },
  });
  commands.register({
    id: 'keys.import',
    title: 'Import Key…',
    category: 'Keys',
    icon: 'key',
    run: () => {
      workbenchStore.getState().showActivity('chain');
      keysStore.getState().openForm('import');
    },
  });
  commands.register({
    id: 'chain.events.togglePause',
    title: 'Pause or Resume Event Feed',
    category: 'Chain',
    icon: 'debug-pause',
    run: () => chainEventsStore.getState().togglePause(),
  });
  commands.register({
    id: 'chain.events.clear',
    title: 'Clear Event Feed',
    category: 'Chain',
    icon: 'clear-all',
    run: () => chainEventsStore.getState().clear(),
  });
  commands.register({
    id: 'chain.publications.refresh',
    title: 'Refresh Publications',
    category: 'Chain',
    icon: 'refresh',
    run: () => publicationsStore.getState().load(),
  });
}
