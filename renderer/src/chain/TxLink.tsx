import { openChainView } from './chainTabs';
import { shortHex } from './chainFormat';

/** A transaction hash that opens its decoded transaction tab. */
export function TxLink({ hash, full }: { hash: string; full?: boolean }) {
  return (
    <button type="button" className="link-button mono" title={hash} onClick={() => openChainView({ page: 'transaction', hash })} data-tx-hash={hash}>
      {full ? hash : shortHex(hash, 10, 6)}
    </button>
  );
}
