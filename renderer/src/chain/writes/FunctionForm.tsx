import { type FormEvent, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { WriteResult } from '../../../../main/api/chainSchemas';
import { DEVNET_NETWORK } from '../../../../main/api/constants';
import { api } from '../../api/client';
import { openChainView } from '../chainTabs';
import { Badge } from '../../components/Badge';
import { Codicon } from '../../components/Codicon';
import { type AbiFunction, addressError as addressErrorOf, displayType, functionSignature, namedOutputs, parseArguments, placeholderFor } from './abiForms';
import { shortHex } from '../chainFormat';
import { parseOpenInput } from '../openAmount';
import { networksStore } from '../networks/networksStore';
import { outcomeOfError, preparedWriteStore } from './preparedWriteStore';
import { EventCard } from '../explorer/EventCard';
import { NamedArgs } from '../NamedArgs';
import { RevertNotice } from './RevertNotice';
import { DEVNET_TARGET, type SendTarget, SendTargetFields } from './SendTargetFields';

type Outcome =
  | { kind: 'read'; result: unknown }
  | { kind: 'write'; result: WriteResult; network?: string }
  | { kind: 'revert'; errorName: string; args: unknown[]; message: string; remote?: boolean }
  | { kind: 'error'; message: string; code: string | null }
  | { kind: 'cancelled' };

interface FunctionFormProps {
  contract: string;
  fn: AbiFunction;
  mode: 'read' | 'write';
  symbol: string;
}

/**
 * One ABI function as a form: a field per argument with its Solidity type, the value in OPEN
 * when it is payable, and where to send: a dev account on the devnet (sent at once), or a stored
 * key on a remote network (prepared, reviewed in PreparedWriteDialog, confirmed with the key's
 * passphrase). Fields are checked as typed (the core checks again); the result, the decoded
 * revert, or the sent transaction shows below.
 */
export function FunctionForm({ contract, fn, mode, symbol }: FunctionFormProps) {
  const signature = functionSignature(fn);
  const idBase = `${contract}-${mode}-${signature}`.replace(/[^\w-]/g, '_');
  const [texts, setTexts] = useState<string[]>(() => fn.inputs.map(() => ''));
  const [touched, setTouched] = useState(false);
  const [value, setValue] = useState('');
  const [target, setTarget] = useState<SendTarget>(DEVNET_TARGET);
  const network = useStore(networksStore, (s) => s.networks.find((n) => n.name === target.network));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const submitButton = useRef<HTMLButtonElement>(null);
  const payable = fn.stateMutability === 'payable';

  const parsed = parseArguments(fn.inputs, texts);
  const remote = mode === 'write' && target.network !== DEVNET_NETWORK;
  const sendSymbol = remote ? (network?.currencySymbol ?? symbol) : symbol;
  const valueParsed = parseOpenInput(value, sendSymbol);
  const needsAddress = remote && !network?.contracts[contract];
  const addressError = !needsAddress ? null : target.address.trim() === '' ? 'An address: 0x and 40 hex digits.' : addressErrorOf(target.address);
  const canSend = parsed.args !== null && (!payable || valueParsed.ok) && (!remote || (target.keyId !== '' && addressError === null));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!canSend || busy) return;
    setBusy(true);
    setOutcome(null);
    try {
      if (mode === 'read') {
        const { result } = await api().call('chain.read', { contract, functionName: fn.name, args: parsed.args! });
        setOutcome({ kind: 'read', result });
      } else if (remote) {
        // Two steps: the core simulates and quotes, the user reviews and confirms with the passphrase.
        const prepared = await api().call('chain.prepareWrite', {
          network: target.network,
          ...(needsAddress ? { address: target.address.trim(), abi: contract } : { contract }),
          functionName: fn.name,
          args: parsed.args!,
          from: target.keyId,
          ...(payable && valueParsed.ok && valueParsed.value !== '0' ? { value: valueParsed.value } : {}),
        });
        setBusy(false);
        const reviewed = await preparedWriteStore.getState().review(prepared);
        // The button was disabled while preparing, so focus had nowhere to go back to: back here.
        if (document.activeElement === document.body) submitButton.current?.focus();
        if (reviewed.kind === 'sent') setOutcome({ kind: 'write', result: reviewed.result, network: reviewed.result.network });
        else if (reviewed.kind === 'revert') setOutcome({ ...reviewed, remote: true });
        else setOutcome(reviewed);
      } else {
        const result = await api().call('chain.write', {
          contract,
          functionName: fn.name,
          args: parsed.args!,
          from: target.devAccount,
          ...(payable && valueParsed.ok && valueParsed.value !== '0' ? { value: valueParsed.value } : {}),
        });
        setOutcome({ kind: 'write', result });
      }
    } catch (err) {
      const failed = outcomeOfError(err);
      setOutcome(failed.kind === 'revert' && remote ? { ...failed, remote: true } : failed);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="fn-form" onSubmit={submit} noValidate aria-label={`${mode === 'read' ? 'Read' : 'Write'} ${signature}`} data-fn={fn.name}>
      {fn.inputs.length === 0 && !payable && mode === 'read' ? <p className="muted fn-form__none">No arguments.</p> : null}
      {fn.inputs.map((param, i) => {
        const id = `${idBase}-${i}`;
        const error = touched || texts[i] !== '' ? parsed.errors[i] : null;
        const name = param.name || `arg${i}`;
        return (
          <div key={id} className="fn-form__field">
            <label className="fn-form__label" htmlFor={id}>
              {name} <code className="fn-form__type">{displayType(param)}</code>
            </label>
            <input
              id={id}
              className={error ? 'input mono is-invalid' : 'input mono'}
              value={texts[i]}
              placeholder={placeholderFor(param)}
              spellCheck={false}
              autoComplete="off"
              aria-invalid={error !== null}
              aria-describedby={`${id}-hint`}
              onChange={(e) => setTexts(texts.map((t, j) => (j === i ? e.target.value : t)))}
            />
            <div id={`${id}-hint`} className={error ? 'form__hint is-error' : 'form__hint'}>
              {error ?? ''}
            </div>
          </div>
        );
      })}
      {mode === 'write' && payable ? (
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor={`${idBase}-value`}>
            value <code className="fn-form__type">{sendSymbol}</code>
          </label>
          <input
            id={`${idBase}-value`}
            className={!valueParsed.ok ? 'input mono is-invalid' : 'input mono'}
            value={value}
            placeholder={`${sendSymbol} to send, e.g. 1.5`}
            spellCheck={false}
            autoComplete="off"
            aria-invalid={!valueParsed.ok}
            aria-describedby={`${idBase}-value-hint`}
            onChange={(e) => setValue(e.target.value)}
          />
          <div id={`${idBase}-value-hint`} className={!valueParsed.ok ? 'form__hint is-error' : 'form__hint'}>
            {!valueParsed.ok ? valueParsed.error : 'Payable: the amount goes with the call.'}
          </div>
        </div>
      ) : null}
      {mode === 'write' ? (
        <SendTargetFields idBase={idBase} contract={contract} target={target} onChange={setTarget} addressError={touched ? addressError : null} />
      ) : null}
      <div className="fn-form__actions">
        <button ref={submitButton} type="submit" className={mode === 'write' ? 'button' : 'button button--secondary'} disabled={busy || (touched && !canSend)}>
          <Codicon name={busy ? 'loading' : mode === 'read' ? 'eye' : 'send'} spin={busy} />
          {busy
            ? mode === 'read'
              ? 'Reading…'
              : remote
                ? 'Preparing…'
                : 'Sending…'
            : mode === 'read'
              ? 'Read'
              : remote
                ? 'Review transaction…'
                : 'Send transaction'}
        </button>
      </div>
      {outcome ? <OutcomeView outcome={outcome} fn={fn} /> : null}
    </form>
  );
}

function OutcomeView({ outcome, fn }: { outcome: Outcome; fn: AbiFunction }) {
  switch (outcome.kind) {
    case 'read':
      return (
        <div className="fn-result" data-testid="read-result">
          <NamedArgs args={namedOutputs(fn.outputs, outcome.result)} />
        </div>
      );
    case 'revert':
      return (
        <>
          <RevertNotice errorName={outcome.errorName} args={outcome.args} message={outcome.message} />
          {outcome.remote ? (
            <p className="muted fn-form__note" data-testid="nothing-sent">
              The simulation reverted: nothing was signed or sent, and nothing was recorded as published.
            </p>
          ) : null}
        </>
      );
    case 'cancelled':
      return (
        <p className="muted fn-form__note" data-testid="write-cancelled">
          Cancelled: nothing was signed or sent.
        </p>
      );
    case 'error':
      return (
        <div className="inline-error inline-error--flush" role="alert" data-testid="call-error">
          {outcome.message}
          {outcome.code ? <span className="muted"> ({outcome.code})</span> : null}
        </div>
      );
    case 'write': {
      const r = outcome.result;
      const returned = namedOutputs(fn.outputs, r.result);
      return (
        <div className="fn-result" data-testid="write-result">
          <div className="fn-result__line">
            <Badge tone={r.status === 'success' ? 'ok' : 'error'} icon={r.status === 'success' ? 'pass-filled' : 'error'}>
              {r.status}
            </Badge>
            <span>
              in block <span className="mono">#{r.blockNumber}</span> · gas used <span className="mono">{r.gasUsed.toLocaleString('en-US')}</span>
            </span>
            {outcome.network ? (
              <span data-testid="write-tx-hash">
                on {outcome.network} ·{' '}
                <span className="mono" title={r.hash}>
                  {shortHex(r.hash, 10, 6)}
                </span>
              </span>
            ) : (
              <button type="button" className="link-button" onClick={() => openChainView({ page: 'transaction', hash: r.hash })} data-testid="write-tx-link">
                View transaction <span className="mono">{shortHex(r.hash, 10, 6)}</span>
              </button>
            )}
          </div>
          {Object.keys(returned).length > 0 ? (
            <>
              <div className="fn-result__heading">Returned (simulated just before sending)</div>
              <NamedArgs args={returned} />
            </>
          ) : null}
          {r.events.length > 0 ? (
            <>
              <div className="fn-result__heading">Events</div>
              {r.events.map((log) => (
                <EventCard key={log.logIndex} log={log} />
              ))}
            </>
          ) : null}
        </div>
      );
    }
  }
}
