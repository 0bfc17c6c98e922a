import { useStore } from 'zustand';
import type { Publication, PublicationStatus } from '../../../../main/api/chainSchemas';
import { commands } from '../../workbench/commands/registry';
import { Badge, type BadgeTone } from '../../components/Badge';
import { Codicon } from '../../components/Codicon';
import { EmptyState } from '../../components/EmptyState';
import { formatDateTime } from '../../base/format';
import { chainStore } from '../devnet/chainStore';
import { publicationsStore } from './publicationsStore';
import { ChainPageHeader } from '../ChainPageHeader';
import { TxLink } from '../TxLink';

const STATUS: Record<PublicationStatus, { tone: BadgeTone; icon: string; title: string }> = {
  pending: { tone: 'warning', icon: 'clock', title: 'Sent; waiting for its block.' },
  confirmed: { tone: 'ok', icon: 'pass-filled', title: 'On chain: the transaction succeeded in a block.' },
  failed: { tone: 'error', icon: 'error', title: 'The transaction reverted or could not be sent; nothing was published.' },
  lost: { tone: 'error', icon: 'warning', title: 'Its transaction is no longer on chain: republish.' },
};

const KIND: Record<Publication['kind'], string> = {
  'datanet.version': 'Datanet version',
  'datanet.submission': 'Datanet submission',
  'datanet.submissionReview': 'Submission review',
  'model.base': 'Base model',
  'model.adapter': 'Adapter',
  'attribution.batch': 'Attribution batch',
  'rewards.claim': 'Rewards claim',
};

/** What the workspace published on chain, with each record's status (publications.list). */
export function ChainPublicationsEditor() {
  const { publications, loaded, loading, error } = useStore(publicationsStore);
  const chainId = useStore(chainStore, (s) => s.status?.chainId ?? null);
  const lost = publications.filter((p) => p.status === 'lost').length;

  return (
    <div className="page page--wide" data-testid="chain-publications">
      <ChainPageHeader
        icon="cloud-upload"
        title="Publications"
        subtitle="Datanet versions, models, adapters, attribution batches and claims this workspace sent on chain."
      >
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={loading}
          onClick={() => void commands.run('chain.publications.refresh')}
        >
          <Codicon name="refresh" spin={loading} />
          Refresh
        </button>
      </ChainPageHeader>
      {error ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : null}
      {lost > 0 ? (
        <div className="notice notice--warning" role="status">
          <Codicon name="warning" />
          <span>
            {lost === 1 ? 'One publication is' : `${lost} publications are`} <strong>lost</strong>: its transaction is no longer on chain (the devnet was reset,
            reverted or lost its state). The record is kept; republish to put it back on chain.
          </span>
        </div>
      ) : null}
      {!loaded ? <div className="progress-line" role="progressbar" aria-label="Loading publications" /> : null}
      {loaded && publications.length === 0 && !error ? (
        <EmptyState icon="cloud-upload" title="Nothing published yet">
          <p>Datanets, Factory and attribution settlement publish here: each publication is recorded before its transaction is sent.</p>
        </EmptyState>
      ) : null}
      {publications.length > 0 ? (
        <table className="table" data-testid="publications-table">
          <thead>
            <tr>
              <th>Publication</th>
              <th>Status</th>
              <th>Call</th>
              <th>Transaction</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody>
            {publications.map((p) => {
              const s = STATUS[p.status];
              return (
                <tr key={p.id} data-status={p.status}>
                  <td>
                    <div>{p.title}</div>
                    <div className="muted table__sub">
                      {KIND[p.kind]}
                      {chainId !== null && p.chainId !== chainId ? ` · chain ${p.chainId}` : ''}
                    </div>
                  </td>
                  <td>
                    <Badge tone={s.tone} icon={s.icon} title={s.title}>
                      {p.status}
                    </Badge>
                    {p.status === 'lost' ? <div className="table__sub tone-error">its transaction is no longer on chain: republish</div> : null}
                    {p.status === 'failed' && p.error ? (
                      <div className="table__sub tone-error" title={p.error.message}>
                        {p.error.message}
                      </div>
                    ) : null}
                  </td>
                  <td>
                    <code>
                      {p.contract}.{p.functionName}
                    </code>
                  </td>
                  <td>
                    {p.txHash ? <TxLink hash={p.txHash} /> : <span className="muted">not sent</span>}
                    {p.blockNumber !== null ? <div className="muted table__sub">block #{p.blockNumber}</div> : null}
                  </td>
                  <td>{formatDateTime(p.updatedAt)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
