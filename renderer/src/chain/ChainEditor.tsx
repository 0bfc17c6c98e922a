import { Fragment } from 'react';
import { useStore } from 'zustand';
import { commands } from '../workbench/commands/registry';
import { EmptyState } from '../components/EmptyState';
import type { ChainView } from './chainViews';
import { chainStore } from './devnet/chainStore';
import { ChainAccountsEditor } from './explorer/ChainAccountsEditor';
import { ChainBlockEditor } from './explorer/ChainBlockEditor';
import { ChainBlocksEditor } from './explorer/ChainBlocksEditor';
import { ChainContractsEditor } from './explorer/ChainContractsEditor';
import { ChainEventsEditor } from './explorer/ChainEventsEditor';
import { ChainPublicationsEditor } from './publishing/ChainPublicationsEditor';
import { ChainTransactionEditor } from './explorer/ChainTransactionEditor';
import { ChainTransactionsEditor } from './explorer/ChainTransactionsEditor';

/** An explorer tab. Publications live in SQLite; every other view needs the running devnet. */
export function ChainEditor({ view }: { view: ChainView }) {
  const status = useStore(chainStore, (s) => s.status);
  const busy = useStore(chainStore, (s) => s.busy);
  // A reset, revert or restart changes the chain under the view: it mounts again and re-reads.
  const epoch = useStore(chainStore, (s) => s.epoch);
  if (view.page === 'publications') return <ChainPublicationsEditor />;
  if (!status?.running) {
    return (
      <div className="page" data-testid="chain-not-running">
        <EmptyState icon="debug-disconnect" title={status?.state === 'starting' ? 'The devnet is starting…' : 'The local devnet is not running'}>
          <p>Blocks, transactions, accounts, contracts and events are read from the running devnet.</p>
          {status?.error ? <p className="tone-error">{status.error}</p> : null}
          <button type="button" className="button" disabled={busy !== null || status?.state === 'starting'} onClick={() => void commands.run('chain.start')}>
            {busy === 'start' ? 'Starting…' : 'Start local devnet'}
          </button>
        </EmptyState>
      </div>
    );
  }
  return <Fragment key={epoch}>{explorerView(view)}</Fragment>;
}

function explorerView(view: Exclude<ChainView, { page: 'publications' }>) {
  switch (view.page) {
    case 'blocks':
      return <ChainBlocksEditor />;
    case 'block':
      return <ChainBlockEditor key={view.number} number={view.number} />;
    case 'transactions':
      return <ChainTransactionsEditor />;
    case 'transaction':
      return <ChainTransactionEditor key={view.hash} hash={view.hash} />;
    case 'accounts':
      return <ChainAccountsEditor address={view.address} />;
    case 'contracts':
      return <ChainContractsEditor contract={view.contract} />;
    case 'events':
      return <ChainEventsEditor />;
  }
}
