import { useStore } from 'zustand';
import { DEVNET_NETWORK } from '../../../../main/api/constants';
import { shortHex } from '../chainFormat';
import { DEV_ACCOUNT_ADDRESSES } from '../devAccounts';
import { keysStore } from '../keys/keysStore';
import { networksStore } from '../networks/networksStore';

/** Where a write form sends: the devnet with a dev account, or a remote network with a stored key. */
export interface SendTarget {
  network: string;
  /** Dev account index, on the devnet. */
  devAccount: number;
  /** Stored key id, on a remote network. */
  keyId: string;
  /** The contract's address on a remote network that has not recorded it. */
  address: string;
}

export const DEVNET_TARGET: SendTarget = { network: DEVNET_NETWORK, devAccount: 0, keyId: '', address: '' };

interface Props {
  idBase: string;
  contract: string;
  target: SendTarget;
  onChange(target: SendTarget): void;
  /** Shown under the address field once the user has tried to send. */
  addressError: string | null;
}

/** The network picker (devnet first), then a dev account there, or a key and maybe an address elsewhere. */
export function SendTargetFields({ idBase, contract, target, onChange, addressError }: Props) {
  const networks = useStore(networksStore, (s) => s.networks);
  const keys = useStore(keysStore, (s) => s.keys);
  const network = networks.find((n) => n.name === target.network);
  const remote = target.network !== DEVNET_NETWORK;
  const recorded = network?.contracts[contract];
  const usable = keys.filter((k) => !k.devAccount);
  return (
    <>
      <div className="fn-form__field">
        <label className="fn-form__label" htmlFor={`${idBase}-network`}>
          network
        </label>
        <select
          id={`${idBase}-network`}
          className="select"
          value={target.network}
          onChange={(e) => onChange({ ...target, network: e.target.value, keyId: target.keyId || (usable[0]?.id ?? '') })}
        >
          {(networks.length > 0 ? networks : [{ name: DEVNET_NETWORK, chainId: null, builtIn: true }]).map((n) => (
            <option key={n.name} value={n.name}>
              {n.builtIn ? `${n.name} (local)` : n.name}
              {n.chainId !== null ? ` · chain ${n.chainId}` : ''}
            </option>
          ))}
        </select>
      </div>
      {!remote ? (
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor={`${idBase}-from`}>
            from <span className="muted">dev account (well-known key, devnet only)</span>
          </label>
          <select
            id={`${idBase}-from`}
            className="select mono"
            value={target.devAccount}
            onChange={(e) => onChange({ ...target, devAccount: Number(e.target.value) })}
          >
            {DEV_ACCOUNT_ADDRESSES.map((a, i) => (
              <option key={a} value={i}>
                #{i} · {shortHex(a)}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <>
          <div className="fn-form__field">
            <label className="fn-form__label" htmlFor={`${idBase}-key`}>
              from <span className="muted">stored key (you confirm with its passphrase)</span>
            </label>
            <select id={`${idBase}-key`} className="select mono" value={target.keyId} onChange={(e) => onChange({ ...target, keyId: e.target.value })}>
              {usable.length === 0 ? <option value="">No usable key: create or import one under Chain › Keys</option> : null}
              {keys.map((k) => (
                <option key={k.id} value={k.id} disabled={k.devAccount}>
                  {k.label} · {shortHex(k.address)}
                  {k.devAccount ? ' (well-known key, devnet only)' : ''}
                </option>
              ))}
            </select>
          </div>
          {recorded ? (
            <p className="muted fn-form__note">
              To {contract} at <span className="mono">{recorded}</span>, as recorded for {target.network}.
            </p>
          ) : (
            <div className="fn-form__field">
              <label className="fn-form__label" htmlFor={`${idBase}-address`}>
                {contract} on {target.network} <code className="fn-form__type">address</code>
              </label>
              <input
                id={`${idBase}-address`}
                className={addressError ? 'input mono is-invalid' : 'input mono'}
                value={target.address}
                placeholder="0x… (not recorded for this network)"
                spellCheck={false}
                autoComplete="off"
                aria-invalid={addressError !== null}
                aria-describedby={`${idBase}-address-hint`}
                onChange={(e) => onChange({ ...target, address: e.target.value })}
              />
              <div id={`${idBase}-address-hint`} className={addressError ? 'form__hint is-error' : 'form__hint'}>
                {addressError ?? `The network has no address recorded for ${contract}; the call is encoded with its ABI.`}
              </div>
            </div>
          )}
        </>
      )}
    </>
  );
}
