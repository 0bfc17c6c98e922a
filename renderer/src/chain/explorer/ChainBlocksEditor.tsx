import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { BlockSummary } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { openChainView } from '../chainTabs';
import { useListKeys } from '../../components/useListKeys';
import { formatAge, formatGas } from '../chainFormat';
import { formatUnixTime } from '../../base/format';
import { formatUnits } from '../openAmount';
import { chainStore, mergeBlocks } from '../devnet/chainStore';
import { ChainPageHeader } from '../ChainPageHeader';
import { LoadOlderFooter } from '../../components/LoadOlderFooter';

const PAGE = 25;

/** "1.25 gwei": base fees are small numbers of wei. */
function formatGwei(wei: string | null): string {
  return wei === null ? '-' : `${formatUnits(BigInt(wei), 9)} gwei`;
}

/** Every block, newest first: a page at a time (`before`), new heads joining at the top. */
export function ChainBlocksEditor() {
  const live = useStore(chainStore, (s) => s.blocks);
  const [older, setOlder] = useState<BlockSummary[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const onKeyDown = useListKeys();

  const loadPage = useCallback(async (before?: number) => {
    setLoading(true);
    try {
      const page = await api().call('chain.blocks', before === undefined ? { limit: PAGE } : { before, limit: PAGE });
      setOlder((held) => mergeBlocks(held, page.blocks, Number.MAX_SAFE_INTEGER));
      if (page.blocks.length < PAGE || page.blocks.at(-1)?.number === 0) setDone(true);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void loadPage();
  }, [loadPage]);

  const blocks = mergeBlocks(older, live, Number.MAX_SAFE_INTEGER);
  const oldest = blocks.at(-1)?.number;

  return (
    <div className="page page--wide" data-testid="chain-blocks">
      <ChainPageHeader icon="symbol-constant" title="Blocks" subtitle={blocks.length ? `Head #${blocks[0]!.number} · newest first` : 'Newest first'} />
      {error ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : null}
      <table className="table table--rows">
        <thead>
          <tr>
            <th>Block</th>
            <th>Time</th>
            <th className="num">Transactions</th>
            <th className="num">Gas used</th>
            <th className="num">Base fee</th>
          </tr>
        </thead>
        <tbody onKeyDown={onKeyDown}>
          {blocks.map((b, i) => (
            <tr
              key={b.number}
              data-list-item
              tabIndex={i === 0 ? 0 : -1}
              onClick={() => openChainView({ page: 'block', number: b.number })}
              title={b.hash}
              data-block={b.number}
            >
              <td className="mono">#{b.number}</td>
              <td>
                {formatUnixTime(b.timestamp)} <span className="muted">{formatAge(b.timestamp)}</span>
              </td>
              <td className="num">{b.transactionCount}</td>
              <td className="num mono">{formatGas(b.gasUsed)}</td>
              <td className="num mono">{formatGwei(b.baseFeePerGas)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <LoadOlderFooter
        noun="block"
        loading={loading}
        more={!done && oldest !== undefined && oldest > 0}
        complete={blocks.length > 0}
        onLoadOlder={() => void loadPage(oldest)}
        buttonLabel="Load older blocks"
      />
    </div>
  );
}
