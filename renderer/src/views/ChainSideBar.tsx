import { useStore } from 'zustand';
import { openCapability } from '../commands/editors';
import { commands } from '../commands/registry';
import { Codicon } from '../components/Codicon';
import { IconButton } from '../components/IconButton';
import { SectionHeader } from '../components/SectionHeader';
import { ViewHeader } from '../components/ViewHeader';
import { formatDateTime, formatUnixTime, plural } from '../model/format';
import { chainStore } from '../stores/chainStore';

const STATE_ICON = { running: 'pass-filled', starting: 'loading', stopped: 'circle-large-outline', error: 'error' } as const;

/** The workspace's local devnet: its state, start and stop, and the newest blocks. */
export function ChainSideBar() {
  const { status, blocks, loaded, busy } = useStore(chainStore);
  const running = status?.running ?? false;
  return (
    <div className="view">
      <ViewHeader title="Chain">
        {running ? (
          <IconButton icon="debug-stop" label="Stop Local Devnet" disabled={busy !== null} onClick={() => void commands.run('chain.stop')} />
        ) : (
          <IconButton icon="play" label="Start Local Devnet" disabled={busy !== null || status?.state === 'starting'} onClick={() => void commands.run('chain.start')} />
        )}
        <IconButton icon="refresh" label="Refresh Chain Status" onClick={() => void commands.run('chain.refresh')} />
      </ViewHeader>
      <div className="view__body" data-testid="chain-side-bar">
        {!loaded ? <div className="progress-line" role="progressbar" aria-label="Loading chain status" /> : null}
        {status ? (
          <section aria-label="Local devnet">
            <SectionHeader title="Local devnet" />
            <div className="card">
              <div className={`card__title chain-state chain-state--${status.state}`} data-state={status.state}>
                <Codicon name={busy ? 'loading' : STATE_ICON[status.state]} spin={busy !== null || status.state === 'starting'} />
                {busy === 'start' ? 'Starting…' : busy === 'stop' ? 'Stopping…' : status.state}
              </div>
              <dl className="facts facts--compact">
                <dt>Chain id</dt>
                <dd>{status.chainId}</dd>
                <dt>Block</dt>
                <dd>{status.block ?? '-'}</dd>
                <dt>RPC</dt>
                <dd className="mono facts__nowrap" title={status.rpcUrl ?? undefined}>
                  {status.rpcUrl ?? '-'}
                </dd>
                <dt>Contracts</dt>
                <dd>{Object.keys(status.contracts).length}</dd>
                <dt>Block time</dt>
                <dd>{status.blockTimeSeconds === 0 ? 'a block per transaction' : `${status.blockTimeSeconds} s`}</dd>
                {status.deployment ? (
                  <>
                    <dt>Deployed</dt>
                    <dd>{formatDateTime(status.deployment.deployedAt)}</dd>
                  </>
                ) : null}
              </dl>
              {status.error ? (
                <div className="inline-error inline-error--flush" role="alert">
                  {status.error}
                </div>
              ) : null}
            </div>
          </section>
        ) : null}
        {status ? (
          <section aria-label="Recent blocks">
            <SectionHeader title="Recent blocks" count={blocks.length} />
            {blocks.length === 0 ? (
              <p className="view__note muted">{running ? 'No blocks yet.' : 'Start the devnet to see its blocks.'}</p>
            ) : (
              <ul className="list" aria-label="Recent blocks">
                {blocks.map((b) => (
                  <li key={b.number} className="list__item list__item--static" title={b.hash}>
                    <Codicon name="symbol-constant" />
                    <span className="list__label">#{b.number}</span>
                    <span className="list__meta">
                      {plural(b.transactionCount, 'tx')} · {formatUnixTime(b.timestamp)}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
        <p className="view__note">
          <button type="button" className="link-button" onClick={() => openCapability('chain')}>
            What the Chain view will do
          </button>
        </p>
      </div>
    </div>
  );
}
