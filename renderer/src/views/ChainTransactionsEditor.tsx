import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { TransactionSummary } from '../../../main/api/chainSchemas';
import { api } from '../api/client';
import { openChainView } from '../commands/editors';
import { chainStore } from '../stores/chainStore';
import { ChainPageHeader } from './ChainPageHeader';
import { LoadOlderFooter } from './LoadOlderFooter';
import { LookupForm } from './LookupForm';
import { TransactionTable } from './TransactionTable';

/** How many blocks one "load" walks back (the API lists blocks, not transactions). */
const BLOCKS_PER_STEP = 50;

interface TxRow extends TransactionSummary {
  blockNumber: number;
  timestamp: number;
}

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

/**
 * Recent transactions, newest first, gathered from the blocks that have any (chain.blocks then
 * chain.block), and a lookup by hash.
 */
export function ChainTransactionsEditor() {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  const head = useStore(chainStore, (s) => s.blocks[0]?.number ?? null);
  const [rows, setRows] = useState<TxRow[]>([]);
  const [scannedTo, setScannedTo] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hash, setHash] = useState('');
  const [hashError, setHashError] = useState<string | null>(null);

  /** Walks BLOCKS_PER_STEP blocks below `before` (or from the head) and adds their transactions. */
  const scan = useCallback(async (before?: number, after?: number) => {
    setLoading(true);
    try {
      const page = await api().call('chain.blocks', before === undefined ? { limit: BLOCKS_PER_STEP } : { before, limit: BLOCKS_PER_STEP });
      const withTxs = page.blocks.filter((b) => b.transactionCount > 0 && (after === undefined || b.number > after));
      const details = await Promise.all(withTxs.map((b) => api().call('chain.block', { number: b.number })));
      const found = details.flatMap((d) => d.transactions.map((t) => ({ ...t, blockNumber: d.number, timestamp: d.timestamp })));
      setRows((held) => {
        const seen = new Set(held.map((r) => r.hash));
        return [...held, ...found.filter((r) => !seen.has(r.hash))].sort((a, b) => b.blockNumber - a.blockNumber);
      });
      if (after === undefined) setScannedTo(page.blocks.at(-1)?.number ?? 0);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void scan();
  }, [scan]);

  // New heads: pick up their transactions too.
  const newest = rows[0]?.blockNumber ?? (scannedTo !== null ? scannedTo - 1 : null);
  useEffect(() => {
    if (head !== null && newest !== null && head > newest && !loading && scannedTo !== null) void scan(head + 1, Math.max(newest, head - BLOCKS_PER_STEP));
    // Only a new head starts this; the rest is read as it is then.
  }, [head]);

  const lookUp = () => {
    const t = hash.trim();
    if (!HASH_RE.test(t)) {
      setHashError(t.startsWith('0x') ? `A transaction hash has 64 hex digits after 0x; this has ${t.length - 2}.` : 'A transaction hash starts with 0x.');
      return;
    }
    setHashError(null);
    openChainView({ page: 'transaction', hash: t });
  };

  return (
    <div className="page page--wide" data-testid="chain-transactions">
      <ChainPageHeader
        icon="arrow-swap"
        title="Transactions"
        subtitle={scannedTo !== null ? `Newest first · blocks #${scannedTo} to the head` : 'Newest first'}
      />
      <LookupForm
        id="tx-lookup"
        label="Look up a transaction"
        placeholder="0x… (64 hex digits)"
        value={hash}
        error={hashError}
        onChange={(value) => {
          setHash(value);
          setHashError(null);
        }}
        onSubmit={lookUp}
        submitLabel="Open"
      />
      {error ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : null}
      {rows.length === 0 && !loading ? <p className="muted">No transactions in these blocks.</p> : null}
      {rows.length > 0 ? <TransactionTable transactions={rows} symbol={symbol} showBlock /> : null}
      <LoadOlderFooter
        noun="transaction"
        loading={loading}
        more={scannedTo !== null && scannedTo > 0}
        complete={scannedTo === 0}
        onLoadOlder={() => scannedTo !== null && void scan(scannedTo)}
        buttonLabel={`Look further back (${BLOCKS_PER_STEP} blocks)`}
      />
    </div>
  );
}
