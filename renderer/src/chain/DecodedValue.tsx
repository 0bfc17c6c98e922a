import { useStore } from 'zustand';
import { formatDecoded, looksLikeAddress, looksLikeHash, shortHex } from './chainFormat';
import { formatOpen } from './openAmount';
import { chainStore } from './devnet/chainStore';
import { AddressText } from './AddressText';

/**
 * One decoded argument or result: addresses labelled and linked, hashes shortened, the rest as
 * JSON. `verbatim` shows addresses and hashes in full and unlabelled: what is about to be signed
 * (on a network where the devnet's labels mean nothing).
 */
export function DecodedValue({ value, verbatim = false }: { value: unknown; verbatim?: boolean }) {
  const symbol = useStore(chainStore, (s) => s.status?.currencySymbol ?? 'OPEN');
  if (verbatim && (looksLikeAddress(value) || looksLikeHash(value))) return <span className="mono decoded-verbatim">{value}</span>;
  if (looksLikeAddress(value)) return <AddressText address={value} />;
  if (looksLikeHash(value)) {
    return (
      <span className="mono" title={value}>
        {shortHex(value, 10, 8)}
      </span>
    );
  }
  if (typeof value === 'string' && /^\d{10,}$/.test(value)) {
    // Large integers are mostly wei: say what they are in OPEN, without claiming it.
    return (
      <span className="mono" title={`${formatOpen(value, symbol)} if this is an amount in wei`}>
        {value}
      </span>
    );
  }
  if (typeof value === 'string')
    return <span className={/^-?\d+$/.test(value) ? 'mono' : undefined}>{value === '' ? <span className="muted">(empty)</span> : value}</span>;
  if (typeof value === 'boolean' || typeof value === 'number') return <span className="mono">{String(value)}</span>;
  if (Array.isArray(value) && value.length === 0) return <span className="mono muted">[]</span>;
  return <code className="decoded-json">{formatDecoded(value)}</code>;
}
