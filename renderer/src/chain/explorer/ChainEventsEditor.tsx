import { useEffect } from 'react';
import { useStore } from 'zustand';
import { commands } from '../../workbench/commands/registry';
import { openChainView } from '../chainTabs';
import { Codicon } from '../../components/Codicon';
import { shortHex } from '../chainFormat';
import { chainEventsStore } from './chainEventsStore';
import { ChainPageHeader } from '../ChainPageHeader';
import { NamedArgs } from '../NamedArgs';
import { TxLink } from '../TxLink';

/** Decoded protocol events as they arrive (chain.log), after the most recent past ones. */
export function ChainEventsEditor() {
  const { events, paused, held, loaded, loading } = useStore(chainEventsStore);

  useEffect(() => {
    if (!loaded) void chainEventsStore.getState().load();
  }, [loaded]);

  return (
    // data-loaded: the past events are in; live ones may be shown before that and the past
    // ones merged in below them when they arrive.
    <div className="page page--wide" data-testid="chain-events" data-loaded={loaded}>
      <ChainPageHeader icon="pulse" title="Events" subtitle="Decoded protocol events, newest first, live from each new block.">
        <span className={paused ? 'feed-state feed-state--paused' : 'feed-state'} data-paused={paused} aria-live="polite">
          <Codicon name={paused ? 'debug-pause' : 'circle-filled'} />
          {paused ? `Paused${held.length ? ` · ${held.length} new` : ''}` : 'Live'}
        </span>
        <button type="button" className="button button--secondary button--small" onClick={() => void commands.run('chain.events.togglePause')}>
          <Codicon name={paused ? 'debug-continue' : 'debug-pause'} />
          {paused ? 'Resume' : 'Pause'}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={events.length === 0}
          onClick={() => void commands.run('chain.events.clear')}
        >
          <Codicon name="clear-all" />
          Clear
        </button>
      </ChainPageHeader>
      {loading && !loaded ? <div className="progress-line" role="progressbar" aria-label="Loading events" /> : null}
      {loaded && events.length === 0 ? (
        <p className="muted">No protocol events {paused ? 'shown' : 'yet'}. They appear here as transactions emit them.</p>
      ) : null}
      {events.length > 0 ? (
        <table className="table table--feed" data-testid="event-feed">
          <thead>
            <tr>
              <th>Block</th>
              <th>Contract</th>
              <th>Event</th>
              <th>Arguments</th>
              <th>Transaction</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr key={`${e.transactionHash}:${e.logIndex}`} data-event-name={e.eventName ?? ''}>
                <td>
                  <button type="button" className="link-button mono" onClick={() => openChainView({ page: 'block', number: e.blockNumber })}>
                    #{e.blockNumber}
                  </button>
                </td>
                <td title={e.address}>{e.contractName ?? <span className="mono">{shortHex(e.address)}</span>}</td>
                <td>
                  <strong>{e.eventName ?? '(unknown)'}</strong>
                </td>
                <td className="table__args">
                  <NamedArgs args={e.args} />
                </td>
                <td>
                  <TxLink hash={e.transactionHash} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
