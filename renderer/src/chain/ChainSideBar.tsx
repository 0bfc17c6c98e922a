import { useStore } from 'zustand';
import { openChainView } from './chainTabs';
import { commands } from '../workbench/commands/registry';
import { Codicon } from '../components/Codicon';
import { IconButton } from '../components/IconButton';
import { SectionHeader } from '../components/SectionHeader';
import { useListKeys } from '../components/useListKeys';
import { ViewHeader } from '../components/ViewHeader';
import { CHAIN_SECTIONS } from './chainViews';
import { formatClock, formatDateTime, formatUnixTime, plural } from '../base/format';
import { activeTab } from '../workbench/tabs';
import { chainStore } from './devnet/chainStore';
import { publicationsStore } from './publishing/publicationsStore';
import { workbenchStore } from '../workbench/workbenchStore';
import { KeysSection } from './keys/KeysSection';
import { NetworksSection } from './networks/NetworksSection';

const STATE_ICON = { running: 'pass-filled', starting: 'loading', stopped: 'circle-large-outline', error: 'error' } as const;
const BUSY_LABEL = { start: 'Starting…', stop: 'Stopping…', snapshot: 'Taking a snapshot…', revert: 'Reverting…', reset: 'Resetting…' } as const;

/** The workspace's local devnet (state and controls), networks and keys, the explorer's sections, the newest blocks. */
export function ChainSideBar() {
  const { status, blocks, loaded, busy, snapshots } = useStore(chainStore);
  const lost = useStore(publicationsStore, (s) => s.publications.filter((p) => p.status === 'lost').length);
  const active = useStore(workbenchStore, (s) => activeTab(s.tabs));
  const activePage = active?.input.kind === 'chain' ? active.input.view.page : null;
  const onSectionKeys = useListKeys();
  const onBlockKeys = useListKeys();
  const running = status?.running ?? false;
  const idle = busy === null;
  return (
    <div className="view">
      <ViewHeader title="Chain">
        {running ? (
          <IconButton icon="debug-stop" label="Stop Local Devnet" disabled={!idle} onClick={() => void commands.run('chain.stop')} />
        ) : (
          <IconButton
            icon="play"
            label="Start Local Devnet"
            disabled={!idle || status?.state === 'starting'}
            onClick={() => void commands.run('chain.start')}
          />
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
                {busy ? BUSY_LABEL[busy] : status.state}
              </div>
              <dl className="facts facts--compact">
                <dt>Chain id</dt>
                <dd className="mono">{status.chainId}</dd>
                <dt>Block</dt>
                <dd className="mono" data-testid="chain-head">
                  {status.block ?? '-'}
                </dd>
                <dt>RPC</dt>
                <dd className="mono facts__nowrap" title={status.rpcUrl ?? undefined}>
                  {status.rpcUrl ?? '-'}
                </dd>
                <dt>Currency</dt>
                <dd>{status.currencySymbol}</dd>
                <dt>Contracts</dt>
                <dd>{Object.keys(status.contracts).length}</dd>
                <dt>Block time</dt>
                <dd>{status.blockTimeSeconds === 0 ? 'a block per transaction' : `${status.blockTimeSeconds} s`}</dd>
                {status.deployment ? (
                  <>
                    <dt>Deployed</dt>
                    <dd title={`deployment ${status.deployment.id}: ${status.deployment.reason}`}>{formatDateTime(status.deployment.deployedAt)}</dd>
                  </>
                ) : null}
              </dl>
              {status.error ? (
                <div className="inline-error inline-error--flush" role="alert">
                  {status.error}
                </div>
              ) : null}
              <div className="card__actions">
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={!running || !idle}
                  onClick={() => void commands.run('chain.snapshot')}
                >
                  <Codicon name="device-camera" /> Snapshot
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  disabled={!running || !idle || snapshots.length === 0}
                  title={snapshots[0] ? `Back to snapshot ${snapshots[0].id}` : 'Take a snapshot first'}
                  onClick={() => void commands.run('chain.revertLatest')}
                >
                  <Codicon name="history" /> Revert
                </button>
                <button
                  type="button"
                  className="button button--secondary button--small button--danger-text"
                  disabled={!running || !idle}
                  onClick={() => void commands.run('chain.reset')}
                >
                  <Codicon name="trash" /> Reset…
                </button>
              </div>
              {snapshots.length > 0 ? (
                <ul className="snapshots" aria-label="Snapshots">
                  {snapshots.map((s) => (
                    <li key={s.id} className="snapshots__item">
                      <Codicon name="device-camera" />
                      <span className="mono">{s.id}</span>
                      <span className="muted">
                        {`#${s.block} · `}
                        {formatClock(s.takenAt).slice(0, 8)}
                      </span>
                      <button type="button" className="link-button" disabled={!idle} onClick={() => void chainStore.getState().revert(s.id)}>
                        revert
                      </button>
                    </li>
                  ))}
                </ul>
              ) : null}
            </div>
          </section>
        ) : null}

        <section aria-label="Explorer">
          <SectionHeader title="Explorer" />
          <ul className="list" role="listbox" aria-label="Explorer sections" onKeyDown={onSectionKeys}>
            {CHAIN_SECTIONS.map((s, i) => (
              <li
                key={s.page}
                role="option"
                aria-selected={activePage === s.page}
                data-list-item
                data-section={s.page}
                tabIndex={i === 0 ? 0 : -1}
                className="list__item"
                onClick={() => openChainView({ page: s.page })}
              >
                <Codicon name={s.icon} />
                <span className="list__label">{s.title}</span>
                {s.page === 'publications' && lost > 0 ? <span className="list__meta list__meta--warn">{lost} lost</span> : null}
                {s.page !== 'publications' && !running ? <span className="list__meta">needs the devnet</span> : null}
              </li>
            ))}
          </ul>
        </section>

        <NetworksSection />
        <KeysSection />

        {status ? (
          <section aria-label="Recent blocks">
            <SectionHeader title="Recent blocks" count={blocks.length} />
            {blocks.length === 0 ? (
              <p className="view__note muted">{running ? 'No blocks yet.' : 'Start the devnet to see its blocks.'}</p>
            ) : (
              <ul className="list" role="listbox" aria-label="Recent blocks" onKeyDown={onBlockKeys}>
                {blocks.map((b, i) => (
                  <li
                    key={b.number}
                    role="option"
                    aria-selected={active?.id === `chain:block:${b.number}`}
                    data-list-item
                    tabIndex={i === 0 ? 0 : -1}
                    className="list__item"
                    title={b.hash}
                    onClick={() => openChainView({ page: 'block', number: b.number })}
                  >
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
      </div>
    </div>
  );
}
