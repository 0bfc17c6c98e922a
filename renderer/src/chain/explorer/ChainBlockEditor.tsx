import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { BlockDetail } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { openChainView } from '../chainTabs';
import { formatGas, gasShare, shortHex } from '../chainFormat';
import { formatDateTime } from '../../base/format';
import { formatUnits } from '../openAmount';
import { chainStore } from '../devnet/chainStore';
import { ChainPageHeader } from '../ChainPageHeader';
import { TransactionTable } from './TransactionTable';

/** One block (chain.block) and the transactions in it. */
export function ChainBlockEditor({ number }: { number: number }) {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  const head = useStore(chainStore, (s) => s.status?.block ?? null);
  const [block, setBlock] = useState<BlockDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api()
      .call('chain.block', { number })
      .then((b) => live && setBlock(b))
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [number]);

  return (
    <div className="page page--wide" data-testid="chain-block">
      <ChainPageHeader icon="symbol-constant" title={`Block #${number}`} subtitle={block ? <span className="mono">{block.hash}</span> : null}>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={number === 0}
          onClick={() => openChainView({ page: 'block', number: number - 1 })}
        >
          ‹ #{number - 1 < 0 ? '-' : number - 1}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={head !== null && number >= head}
          onClick={() => openChainView({ page: 'block', number: number + 1 })}
        >
          #{number + 1} ›
        </button>
      </ChainPageHeader>
      {error ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : !block ? (
        <div className="progress-line" role="progressbar" aria-label="Loading block" />
      ) : (
        <>
          <section className="page__section">
            <dl className="facts">
              <dt>Time</dt>
              <dd>{formatDateTime(new Date(block.timestamp * 1000).toISOString())}</dd>
              <dt>Transactions</dt>
              <dd>{block.transactionCount}</dd>
              <dt>Gas used</dt>
              <dd>
                <span className="mono">{formatGas(block.gasUsed)}</span>{' '}
                <span className="muted">
                  of {formatGas(block.gasLimit)} ({gasShare(block.gasUsed, block.gasLimit)})
                </span>
              </dd>
              <dt>Base fee</dt>
              <dd className="mono">{block.baseFeePerGas === null ? '-' : `${formatUnits(BigInt(block.baseFeePerGas), 9)} gwei`}</dd>
              <dt>Parent</dt>
              <dd>
                {number > 0 ? (
                  <button
                    type="button"
                    className="link-button mono"
                    title={block.parentHash}
                    onClick={() => openChainView({ page: 'block', number: number - 1 })}
                  >
                    {shortHex(block.parentHash, 10, 8)}
                  </button>
                ) : (
                  <span className="mono">{shortHex(block.parentHash, 10, 8)}</span>
                )}
              </dd>
              <dt>Miner</dt>
              <dd className="mono">{block.miner}</dd>
            </dl>
          </section>
          <section className="page__section">
            <h2>Transactions</h2>
            {block.transactions.length === 0 ? (
              <p className="muted">No transactions in this block.</p>
            ) : (
              <TransactionTable transactions={block.transactions} symbol={symbol} />
            )}
          </section>
        </>
      )}
    </div>
  );
}
