import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { TransactionDetail } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { openChainView } from '../chainTabs';
import { Badge } from '../../components/Badge';
import { displayType, findFunction } from '../writes/abiForms';
import { formatGas, gasShare } from '../chainFormat';
import { formatOpen, formatUnits } from '../openAmount';
import { chainStore } from '../devnet/chainStore';
import { AddressText } from '../AddressText';
import { ChainPageHeader } from '../ChainPageHeader';
import { EventCard } from './EventCard';
import { RegisteredAdapterNotice } from '../../factory/RegisteredAdapterNotice';
import { NamedArgs } from '../NamedArgs';
import { RevertNotice } from '../writes/RevertNotice';
import { useChainContracts } from './useChainContracts';

const STATUS = {
  success: { tone: 'ok', icon: 'pass-filled', text: 'success' },
  reverted: { tone: 'error', icon: 'error', text: 'reverted' },
  pending: { tone: 'warning', icon: 'clock', text: 'pending' },
} as const;

/** One transaction decoded with the protocol ABIs (chain.transaction): call, events, revert. */
export function ChainTransactionEditor({ hash }: { hash: string }) {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  const { contracts } = useChainContracts();
  const [tx, setTx] = useState<TransactionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    const load = () =>
      api()
        .call('chain.transaction', { hash })
        .then((t) => {
          if (!live) return;
          setTx(t);
          // A pending transaction is read again until it is mined.
          if (t.status === 'pending') setTimeout(load, 1000);
        })
        .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    void load();
    return () => {
      live = false;
    };
  }, [hash]);

  // Argument types from the called contract's ABI, shown beside the names.
  const abi = contracts.find((c) => c.name === tx?.contractName)?.abi;
  const fn = tx?.call && abi ? findFunction(abi, tx.call.functionName, Object.keys(tx.call.args).length) : undefined;
  const types = fn ? Object.fromEntries(fn.inputs.map((p, i) => [p.name || String(i), displayType(p)])) : undefined;
  const status = tx ? STATUS[tx.status] : null;
  // A ModelRegistry adapter registration links to the workspace's adapter it registered.
  const adapterIds = (tx?.events ?? []).filter((e) => e.eventName === 'AdapterRegistered' && e.args.modelId !== undefined).map((e) => String(e.args.modelId));
  const chainId = useStore(chainStore, (s) => s.status?.chainId ?? null);

  return (
    <div className="page page--wide" data-testid="chain-transaction">
      <ChainPageHeader
        icon="arrow-swap"
        title={tx?.call ? `${tx.contractName ?? 'Contract'}.${tx.call.functionName}` : 'Transaction'}
        subtitle={<span className="mono">{hash}</span>}
      />
      {error ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : !tx ? (
        <div className="progress-line" role="progressbar" aria-label="Loading transaction" />
      ) : (
        <>
          {tx.revert ? (
            <section className="page__section">
              <RevertNotice errorName={tx.revert.errorName} args={tx.revert.args} message={tx.revert.message} />
            </section>
          ) : null}
          <section className="page__section">
            <dl className="facts" data-testid="tx-facts">
              <dt>Status</dt>
              <dd data-status={tx.status}>
                {status ? (
                  <Badge tone={status.tone} icon={status.icon}>
                    {status.text}
                  </Badge>
                ) : null}
              </dd>
              <dt>Block</dt>
              <dd>
                {tx.blockNumber === null ? (
                  <span className="muted">not mined yet</span>
                ) : (
                  <button type="button" className="link-button mono" onClick={() => openChainView({ page: 'block', number: tx.blockNumber! })}>
                    #{tx.blockNumber}
                  </button>
                )}
              </dd>
              <dt>From</dt>
              <dd>
                <AddressText address={tx.from} label={tx.fromLabel} full />
              </dd>
              <dt>To</dt>
              <dd>{tx.to ? <AddressText address={tx.to} label={tx.toLabel} full /> : <span className="muted">contract creation</span>}</dd>
              {tx.createdContract ? (
                <>
                  <dt>Created</dt>
                  <dd>
                    <AddressText address={tx.createdContract} full />
                  </dd>
                </>
              ) : null}
              <dt>Value</dt>
              <dd title={`${tx.value} wei`}>{formatOpen(tx.value, symbol)}</dd>
              <dt>Gas used</dt>
              <dd>
                <span className="mono">{formatGas(tx.gasUsed)}</span>{' '}
                <span className="muted">
                  of {formatGas(tx.gasLimit)} limit{tx.gasUsed !== null ? ` (${gasShare(tx.gasUsed, tx.gasLimit)})` : ''}
                </span>
              </dd>
              <dt>Gas price</dt>
              <dd className="mono">{tx.effectiveGasPrice === null ? '-' : `${formatUnits(BigInt(tx.effectiveGasPrice), 9)} gwei`}</dd>
              <dt>Fee</dt>
              <dd title={tx.fee ? `${tx.fee} wei (L2 execution; the L1 data fee is not included)` : undefined}>
                {tx.fee === null ? '-' : formatOpen(tx.fee, symbol)} <span className="muted">L2 execution fee</span>
              </dd>
              <dt>Nonce</dt>
              <dd className="mono">{tx.nonce}</dd>
            </dl>
          </section>
          {adapterIds.length > 0 && chainId !== null ? (
            <section className="page__section" aria-label="Adapters registered">
              <h2>Adapter registered</h2>
              <RegisteredAdapterNotice chainId={chainId} modelIds={adapterIds} />
            </section>
          ) : null}
          <section className="page__section" aria-label="Decoded call">
            <h2>Call</h2>
            {tx.call ? (
              <div className="decoded-call" data-testid="tx-call">
                <div className="decoded-call__name">
                  <span className="muted">{tx.contractName ?? 'contract'}.</span>
                  <code>{tx.call.functionName}</code>
                </div>
                <NamedArgs args={tx.call.args} {...(types ? { types } : {})} />
              </div>
            ) : (
              <p className="muted">{tx.input === '0x' ? 'A plain transfer: no call data.' : 'Not a call to a protocol contract; the raw input is below.'}</p>
            )}
          </section>
          <section className="page__section" aria-label="Events">
            <h2>Events ({tx.events.length})</h2>
            {tx.events.length === 0 ? (
              <p className="muted">{tx.status === 'reverted' ? 'A reverted transaction emits no events.' : 'No events.'}</p>
            ) : (
              <div className="event-list" data-testid="tx-events">
                {tx.events.map((log) => (
                  <EventCard key={log.logIndex} log={log} />
                ))}
              </div>
            )}
          </section>
          <section className="page__section">
            <details className="raw-input">
              <summary>Raw input ({Math.max(0, (tx.input.length - 2) / 2)} bytes)</summary>
              <code className="raw-input__data">{tx.input}</code>
            </details>
          </section>
        </>
      )}
    </div>
  );
}
