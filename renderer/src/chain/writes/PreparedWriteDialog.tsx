import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { PreparedWrite } from '../../../../main/api/networkSchemas';
import { formatCountdown } from '../networks/remoteForms';
import { formatOpen } from '../openAmount';
import { preparedWriteStore } from './preparedWriteStore';
import { NamedArgs } from '../NamedArgs';
import { Codicon } from '../../components/Codicon';

/** Ticks once a second while a write is under review. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}

/** "registerBaseModel(bytes32 filesHash, string uri)" → {filesHash: 'bytes32', uri: 'string'}. */
function typesOf(signature: string): Record<string, string> {
  const inner = /\((.*)\)$/.exec(signature)?.[1] ?? '';
  return Object.fromEntries(
    inner
      .split(',')
      .map((p) => p.trim().split(/\s+/))
      .filter((p) => p.length === 2)
      .map(([type, name]) => [name!, type!]),
  );
}

function Facts({ p }: { p: PreparedWrite }) {
  const symbol = p.fee.currencySymbol;
  return (
    <dl className="facts facts--compact prepared__facts" data-testid="prepared-facts">
      <dt>Network</dt>
      <dd>
        {p.network} <span className="muted">· chain {p.chainId}</span>
      </dd>
      <dt>From</dt>
      <dd>
        {p.fromLabel} <span className="mono muted">{p.from}</span>
      </dd>
      <dt>To</dt>
      <dd>
        {p.contractName} <span className="mono muted">{p.to}</span>
      </dd>
      <dt>Value</dt>
      <dd className="mono">{formatOpen(p.value, symbol)}</dd>
      <dt>Gas limit</dt>
      <dd className="mono">{BigInt(p.gasLimit).toLocaleString('en-US')}</dd>
      <dt>Max execution fee</dt>
      <dd className="mono">{formatOpen(p.fee.maxExecutionFee, symbol)}</dd>
      {p.fee.l1DataFee !== null ? (
        <>
          <dt>L1 data fee</dt>
          <dd className="mono">{formatOpen(p.fee.l1DataFee, symbol)}</dd>
        </>
      ) : null}
      <dt>Total, at most</dt>
      <dd className="mono prepared__total" data-testid="prepared-total">
        {formatOpen(p.fee.total, symbol)}
      </dd>
    </dl>
  );
}

/**
 * The last step before a prepared transaction (a stored key on any network, or a dev account on
 * the devnet for governance): what will be signed (network, from, to, the decoded call with named
 * arguments, value, gas limit, the most it can cost) and the key's passphrase (none for a dev
 * account). Focus starts in the passphrase field (else on the send button), Tab stays inside,
 * Escape cancels (unless the send is under way), and focus goes back where it was. The
 * passphrase lives only in this component and is cleared after every try.
 */
export function PreparedWriteDialog() {
  const { prepared, confirming, error } = useStore(preparedWriteStore);
  const [passphrase, setPassphrase] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const sendButton = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);
  const now = useNow(prepared !== null);

  useEffect(() => {
    if (!prepared) return;
    returnFocus.current = document.activeElement as HTMLElement | null;
    // A dev account needs no passphrase: focus goes to the send button instead.
    (input.current ?? sendButton.current)?.focus();
    return () => {
      setPassphrase('');
      const el = returnFocus.current;
      if (el && el !== document.body && el.isConnected) el.focus();
    };
  }, [prepared]);

  // After a wrong passphrase: back in the field, emptied, to type it again.
  useEffect(() => {
    if (error) input.current?.focus();
  }, [error]);

  if (!prepared) return null;
  const store = preparedWriteStore.getState();
  const expiresAt = Date.parse(prepared.expiresAt);
  const countdown = formatCountdown(expiresAt, now);
  const expired = countdown === 'expired';
  const dev = prepared.devAccount !== null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (confirming || expired || (!dev && passphrase === '')) return;
    const p = passphrase;
    setPassphrase('');
    void store.confirm(p);
  };

  return (
    <div className="palette-backdrop dialog-backdrop" onMouseDown={() => store.cancel()}>
      <div
        ref={dialog}
        className="dialog dialog--wide"
        role="dialog"
        aria-modal="true"
        aria-labelledby="prepared-title"
        aria-describedby="prepared-message"
        data-testid="prepared-write-dialog"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            store.cancel();
          } else if (e.key === 'Tab') {
            const items = [...(dialog.current?.querySelectorAll<HTMLElement>('input, button:not(:disabled)') ?? [])];
            const i = items.indexOf(document.activeElement as HTMLElement);
            e.preventDefault();
            items[(i + (e.shiftKey ? -1 : 1) + items.length) % items.length]?.focus();
          }
        }}
      >
        <form onSubmit={submit} noValidate>
          <div className="dialog__body">
            <Codicon name="shield" className="dialog__icon tone-warning" />
            <div className="dialog__main">
              <h2 id="prepared-title" className="dialog__title">
                Send on {prepared.network}?
              </h2>
              {dev ? (
                <p id="prepared-message" className="dialog__message">
                  Nothing has been signed or sent yet. Anvil&apos;s dev account #{prepared.devAccount} signs it on the <strong>local devnet</strong> (chain{' '}
                  {prepared.chainId}); its key is public, so it is never used anywhere else.
                </p>
              ) : (
                <p id="prepared-message" className="dialog__message">
                  Nothing has been signed or sent yet. This transaction goes to <strong>{prepared.network}</strong> (chain {prepared.chainId}), not the local
                  devnet; its fee is paid in {prepared.fee.currencySymbol} from the key&apos;s balance there.
                </p>
              )}
              <Facts p={prepared} />
              <div className="prepared__call" data-testid="prepared-call">
                <div className="prepared__heading">
                  <code className="decoded-call__name">
                    {prepared.contractName}.{prepared.call.functionName}
                  </code>
                  {prepared.publicationKind ? <span className="tag">publishes {prepared.publicationKind}</span> : null}
                </div>
                <NamedArgs args={prepared.call.args} types={typesOf(prepared.call.signature)} verbatim />
              </div>
              {dev ? null : (
                <>
                  <label className="form__label" htmlFor="prepared-passphrase">
                    Passphrase of {prepared.fromLabel}
                  </label>
                  <input
                    id="prepared-passphrase"
                    ref={input}
                    type="password"
                    className={error ? 'input input--full is-invalid' : 'input input--full'}
                    value={passphrase}
                    autoComplete="current-password"
                    disabled={confirming}
                    aria-invalid={error !== null}
                    aria-describedby="prepared-passphrase-hint"
                    onChange={(e) => setPassphrase(e.target.value)}
                  />
                  <div id="prepared-passphrase-hint" className={error ? 'form__hint is-error' : 'form__hint'} role={error ? 'alert' : undefined}>
                    {error ? error.message : 'Unlocks the key for this one transaction.'}
                  </div>
                </>
              )}
            </div>
          </div>
          <div className="dialog__actions">
            <span className={expired ? 'prepared__expiry tone-error' : 'prepared__expiry muted'} data-testid="prepared-expiry">
              <Codicon name="watch" /> {expired ? 'Expired: cancel and send again for a fresh quote.' : `Quote valid for ${countdown}`}
            </span>
            <button ref={sendButton} type="submit" className="button" disabled={confirming || expired || (!dev && passphrase === '')}>
              <Codicon name={confirming ? 'loading' : 'send'} spin={confirming} />
              {confirming ? 'Sending…' : 'Confirm and send'}
            </button>
            <button type="button" className="button button--secondary" disabled={confirming} onClick={() => store.cancel()}>
              Cancel
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
