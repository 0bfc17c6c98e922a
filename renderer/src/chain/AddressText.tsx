import { useStore } from 'zustand';
import { openChainView } from './chainTabs';
import { Codicon } from '../components/Codicon';
import { shortHex } from './chainFormat';
import { addressLabel } from './devAccounts';
import { chainStore } from './devnet/chainStore';

const EMPTY: Record<string, string> = {};

/**
 * An address with what it is: a protocol contract's name, or a dev account (its key is public,
 * so it says so). `label` is the core's own label when the API gave one. Click: the account.
 */
export function AddressText({ address, label, full, compact }: { address: string; label?: string | null; full?: boolean; compact?: boolean }) {
  const contracts = useStore(chainStore, (s) => s.status?.contracts ?? EMPTY);
  const local = addressLabel(address, contracts);
  const name = local?.text ?? label ?? null;
  const title = [address, label ?? (local?.kind === 'dev' ? `${local.text} (well-known key, devnet only)` : local ? `${local.text} (protocol contract)` : null)]
    .filter(Boolean)
    .join('\n');
  return (
    <span className={compact ? 'address address--compact' : 'address'} title={title}>
      {name ? <span className={`address__name address__name--${local?.kind ?? 'other'}`}>{name}</span> : null}
      {local?.kind === 'dev' ? (
        compact ? (
          <Codicon name="key" className="address__key" title="well-known key, devnet only" />
        ) : (
          <span className="tag tag--warn">well-known key</span>
        )
      ) : null}
      <button
        type="button"
        className="link-button mono address__hex"
        onClick={() => openChainView({ page: 'accounts', address })}
        aria-label={`Account ${address}`}
      >
        {full ? address : shortHex(address)}
      </button>
    </span>
  );
}
