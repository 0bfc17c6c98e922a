/**
 * The explorer's tabs. One tab per view and subject: opening the same block, transaction or
 * contract again focuses its tab. Pure data, shared by the tab model, commands and editors.
 */
import { shortHex } from './chainFormat';

export type ChainView =
  | { page: 'blocks' }
  | { page: 'block'; number: number }
  | { page: 'transactions' }
  | { page: 'transaction'; hash: string }
  | { page: 'accounts'; address?: string }
  | { page: 'contracts'; contract?: string }
  | { page: 'events' }
  | { page: 'publications' };

export type ChainPage = ChainView['page'];

/** The side bar's sections, in order: each opens a list tab. */
export const CHAIN_SECTIONS = [
  { page: 'blocks', title: 'Blocks', icon: 'symbol-constant', command: 'chain.openBlocks' },
  { page: 'transactions', title: 'Transactions', icon: 'arrow-swap', command: 'chain.openTransactions' },
  { page: 'accounts', title: 'Accounts', icon: 'account', command: 'chain.openAccounts' },
  { page: 'contracts', title: 'Contracts', icon: 'file-code', command: 'chain.openContracts' },
  { page: 'events', title: 'Events', icon: 'pulse', command: 'chain.openEvents' },
  { page: 'publications', title: 'Publications', icon: 'cloud-upload', command: 'chain.openPublications' },
] as const satisfies readonly { page: ChainPage; title: string; icon: string; command: string }[];

/** The tab id: list views are single tabs; a block, transaction or contract has its own. */
export function chainTabKey(view: ChainView): string {
  switch (view.page) {
    case 'block':
      return `chain:block:${view.number}`;
    case 'transaction':
      return `chain:tx:${view.hash.toLowerCase()}`;
    default:
      return `chain:${view.page}`;
  }
}

export function chainTabTitle(view: ChainView): string {
  switch (view.page) {
    case 'block':
      return `Block #${view.number}`;
    case 'transaction':
      return `Tx ${shortHex(view.hash)}`;
    default:
      return CHAIN_SECTIONS.find((s) => s.page === view.page)!.title;
  }
}

export function chainTabIcon(view: ChainView): string {
  if (view.page === 'block') return 'symbol-constant';
  if (view.page === 'transaction') return 'arrow-swap';
  return CHAIN_SECTIONS.find((s) => s.page === view.page)!.icon;
}
