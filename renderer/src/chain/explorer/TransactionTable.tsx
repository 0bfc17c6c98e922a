import type { TransactionSummary } from '../../../../main/api/chainSchemas';
import { openChainView } from '../chainTabs';
import { useListKeys } from '../../components/useListKeys';
import { formatUnixTime } from '../../base/format';
import { formatOpen } from '../openAmount';
import { AddressText } from '../AddressText';
import { TxLink } from '../TxLink';

/** A transaction and, where the table lists several blocks, the block it is in. */
export interface TransactionTableRow extends TransactionSummary {
  blockNumber?: number;
  timestamp?: number;
}

/**
 * Transactions as keyboard-navigable rows (hash, optional block, from, to, function, value); a
 * click on a row opens the transaction. `showBlock` adds the block column for rows from many blocks.
 */
export function TransactionTable({ transactions, symbol, showBlock }: { transactions: readonly TransactionTableRow[]; symbol: string; showBlock?: boolean }) {
  const onKeyDown = useListKeys();
  return (
    <table className="table table--rows">
      <thead>
        <tr>
          <th>Hash</th>
          {showBlock ? <th>Block</th> : null}
          <th>From</th>
          <th>To</th>
          <th>Function</th>
          <th className="num">Value</th>
        </tr>
      </thead>
      <tbody onKeyDown={onKeyDown}>
        {transactions.map((tx, i) => (
          <tr
            key={tx.hash}
            data-list-item
            tabIndex={i === 0 ? 0 : -1}
            onClick={(e) => !(e.target as HTMLElement).closest('button') && openChainView({ page: 'transaction', hash: tx.hash })}
          >
            <td>
              <TxLink hash={tx.hash} />
            </td>
            {showBlock ? (
              <td>
                <span className="mono">#{tx.blockNumber}</span> <span className="muted">{tx.timestamp === undefined ? '' : formatUnixTime(tx.timestamp)}</span>
              </td>
            ) : null}
            <td>
              <AddressText address={tx.from} compact />
            </td>
            <td>{tx.to ? <AddressText address={tx.to} compact /> : <span className="muted">contract creation</span>}</td>
            <td>{tx.functionName ? <code>{tx.functionName}</code> : <span className="muted">-</span>}</td>
            <td className="num">{formatOpen(tx.value, symbol, 6)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
