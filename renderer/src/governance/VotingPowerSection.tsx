import { useState } from 'react';
import { useStore } from 'zustand';
import type { VotingPower } from '../../../main/api/governanceSchemas';
import { AddressText } from '../chain/AddressText';
import { parseOpenInput } from '../chain/openAmount';
import { addressError } from '../chain/writes/abiForms';
import type { ReviewOutcome } from '../chain/writes/preparedWriteStore';
import { Codicon } from '../components/Codicon';
import { GovOutcome } from './GovOutcome';
import { governanceStore } from './governanceStore';

/** Wrapped OPEN is the voting weight: each account's balances, delegate and votes, and the signer's wrap, unwrap and delegate. */
export function VotingPowerSection({ power, signerAddress, live }: { power: VotingPower[]; signerAddress: string | null; live: boolean }) {
  // Addresses open the devnet's explorer only when they are devnet addresses.
  const addr = (address: string, label?: string | null) =>
    live ? (
      <AddressText address={address} label={label ?? null} />
    ) : (
      <span>
        {label ? `${label} ` : ''}
        <span className="mono">{address}</span>
      </span>
    );
  const [amount, setAmount] = useState('');
  const [to, setTo] = useState('');
  const [busy, setBusy] = useState<'wrap' | 'unwrap' | 'delegate' | null>(null);
  const [outcome, setOutcome] = useState<ReviewOutcome | null>(null);
  const write = useStore(governanceStore, (s) => s.write);
  const parsedAmount = parseOpenInput(amount, 'OPEN');
  const amountOk = amount.trim() !== '' && parsedAmount.ok && parsedAmount.value !== '0';
  const toError = to.trim() === '' ? null : addressError(to);

  const run = async (action: 'wrap' | 'unwrap' | 'delegate') => {
    setBusy(action);
    setOutcome(null);
    const result =
      action === 'delegate' ? await write({ action, ...(to.trim() ? { to: to.trim() } : {}) }) : await write({ action, amount: amount.trim() });
    setOutcome(result);
    setBusy(null);
  };

  return (
    <section className="page__section" id="gov-power" aria-label="Voting power">
      <h2>Voting power</h2>
      <p className="muted">
        Votes come from wrapped OPEN (WOPEN), counted at each proposal&apos;s snapshot block, and only once delegated (the first wrap delegates to yourself).
      </p>
      <table className="table" data-testid="gov-power">
        <thead>
          <tr>
            <th>Account</th>
            <th className="num">OPEN</th>
            <th className="num">Wrapped</th>
            <th className="num">Votes</th>
            <th>Delegates to</th>
          </tr>
        </thead>
        <tbody>
          {power.map((a) => (
            <tr key={a.address} className={a.address === signerAddress ? 'is-current' : undefined} data-address={a.address}>
              <td>
                {addr(a.address, a.label || null)}
              </td>
              <td className="num mono" title={`${a.balance} wei`}>
                {Number(a.balanceFormatted).toLocaleString('en-US', { maximumFractionDigits: 4 })}
              </td>
              <td className="num mono" data-testid="power-wrapped">
                {a.wrappedFormatted}
              </td>
              <td className="num mono" data-testid="power-votes">
                {a.votesFormatted}
              </td>
              <td>{a.delegate === null ? <span className="muted">not delegated</span> : a.delegate === a.address ? <span>itself</span> : addr(a.delegate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="gov-actions" aria-label="Wrap, unwrap and delegate as the signer">
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor="gov-amount">
            Amount <code className="fn-form__type">OPEN</code>
          </label>
          <div className="gov-inline">
            <input
              id="gov-amount"
              className={amount.trim() !== '' && !amountOk ? 'input mono is-invalid' : 'input mono'}
              value={amount}
              placeholder="e.g. 25"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setAmount(e.target.value)}
            />
            <button type="button" className="button" disabled={!amountOk || busy !== null} onClick={() => void run('wrap')}>
              <Codicon name={busy === 'wrap' ? 'loading' : 'arrow-down'} spin={busy === 'wrap'} />
              Wrap
            </button>
            <button type="button" className="button button--secondary" disabled={!amountOk || busy !== null} onClick={() => void run('unwrap')}>
              <Codicon name={busy === 'unwrap' ? 'loading' : 'arrow-up'} spin={busy === 'unwrap'} />
              Unwrap
            </button>
          </div>
          <div className="form__hint">{amount.trim() !== '' && !parsedAmount.ok ? parsedAmount.error : 'Native OPEN to WOPEN and back, 1:1.'}</div>
        </div>
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor="gov-delegate-to">
            Delegate votes to <code className="fn-form__type">address</code>
          </label>
          <div className="gov-inline">
            <input
              id="gov-delegate-to"
              className={toError ? 'input mono input--wide is-invalid' : 'input mono input--wide'}
              value={to}
              placeholder="0x… (empty: the signer itself)"
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => setTo(e.target.value)}
            />
            <button type="button" className="button button--secondary" disabled={toError !== null || busy !== null} onClick={() => void run('delegate')}>
              <Codicon name={busy === 'delegate' ? 'loading' : 'person-add'} spin={busy === 'delegate'} />
              Delegate
            </button>
          </div>
          <div className={toError ? 'form__hint is-error' : 'form__hint'}>{toError ?? 'Only delegated WOPEN counts as votes.'}</div>
        </div>
      </div>
      <GovOutcome outcome={outcome} testId="power-outcome" />
    </section>
  );
}
