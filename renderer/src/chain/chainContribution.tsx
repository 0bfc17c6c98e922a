import { type Contribution, editor } from '../workbench/contributions';
import { chainCommands } from './chainCommands';
import { ChainEditor } from './ChainEditor';
import { ChainSideBar } from './ChainSideBar';
import { PreparedWriteDialog } from './writes/PreparedWriteDialog';

/** The local devnet, its explorer, remote networks, keys, writes and publications. */
export const chainContribution: Contribution = {
  id: 'chain',
  activity: { title: 'Chain', icon: 'link', keybinding: 'Mod+Shift+5', SideBar: ChainSideBar },
  editors: [editor('chain', ({ input }) => <ChainEditor view={input.view} />)],
  commands: chainCommands(),
  dialogs: [PreparedWriteDialog],
  overview: {
    emptyTitle: 'No local chain yet',
    title: 'Chain',
    summary: 'A local OP Stack devnet (Anvil) with the protocol contracts deployed on it.',
    will: [
      'Explore blocks, transactions, accounts, contracts and decoded protocol events (the side bar opens each)',
      'Publish datanets and models on chain; settle contributors’ rewards (the Publications view lists them)',
      'Point at any OP Stack network through an RPC URL instead',
    ],
    dependsOn: 'chain',
    missing: 'The explorer works on the local devnet; remote networks are not part of this build yet.',
  },
};
