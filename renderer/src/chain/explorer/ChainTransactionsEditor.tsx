import { useCallback, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { TransactionListItem } from '../../../../main/api/chainSchemas';
import { api } from '../../api/client';
import { openChainView } from '../chainTabs';
import { chainStore } from '../devnet/chainStore';
import { ChainPageHeader } from '../ChainPageHeader';
import { LoadOlderFooter } from '../../components/LoadOlderFooter';
import { LookupForm } from '../../components/LookupForm';
import { TransactionTable } from './TransactionTable';

const HASH_RE = /^0x[0-9a-fA-F]{64}$/;

/** Newest first, one row per hash (a new head's page overlaps what is held). */
function mergeTransactions(held: readonly TransactionListItem[], found: readonly TransactionListItem[]): TransactionListItem[] {
  const seen = new Set(held.map((r) => r.hash));
  return [...held, ...found.filter((r) => !seen.has(r.hash))].sort((a, b) => b.blockNumber - a.blockNumber);
}

/**
 * Recent transactions, newest first, a page at a time from chain.transactions (which bounds the
 * blocks one page scans), and a lookup by hash.
 */
export function ChainTransactionsEditor() {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  const head = useStore(chainStore, (s) => s.blocks[0]?.number ?? null);
  const [rows, setRows] = useState<TransactionListItem[]>([]);
  /** Blocks below this are not scanned yet; 0 once block 0 was; null before the first page. */
  const [scannedTo, setScannedTo] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hash, setHash] = useState('');
  const [hashError, setHashError] = useState<string | null>(null);

  /** One page below `before` (or from the head); `older` pages move the scanned range down. */
  const load = useCallback(async (before: number | undefined, older: boolean) => {
    setLoading(true);
    try {
      const page = await api().call('chain.transactions', before === undefined ? {} : { before });
      setRows((held) => mergeTransactions(held, page.transactions));
      if (older) setScannedTo(page.nextBefore ?? 0);
      setError(null);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(undefined, true);
  }, [load]);

  // New heads: pick up their transactions too (the newest page overlaps the rows held).
  const newest = rows[0]?.blockNumber ?? (scannedTo !== null ? scannedTo - 1 : null);
  useEffect(() => {
    if (head !== null && newest !== null && head > newest && !loading && scannedTo !== null) void load(head + 1, false);
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
        onLoadOlder={() => scannedTo !== null && void load(scannedTo, true)}
        buttonLabel="Look further back"
      />
    </div>
  );
}
