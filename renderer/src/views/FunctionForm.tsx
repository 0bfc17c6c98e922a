import { type FormEvent, useState } from 'react';
import type { WriteResult } from '../../../main/api/chainSchemas';
import { ApiCallError } from '../../../main/api/apiClient';
import { api } from '../api/client';
import { openChainView } from '../commands/editors';
import { Badge } from '../components/Badge';
import { Codicon } from '../components/Codicon';
import { type AbiFunction, displayType, functionSignature, namedOutputs, parseArguments, placeholderFor } from '../model/abiForms';
import { shortHex } from '../model/chainFormat';
import { DEV_ACCOUNT_ADDRESSES } from '../model/devAccounts';
import { parseOpenInput } from '../model/openAmount';
import { EventCard } from './EventCard';
import { NamedArgs } from './NamedArgs';
import { RevertNotice } from './RevertNotice';

type Outcome =
  | { kind: 'read'; result: unknown }
  | { kind: 'write'; result: WriteResult }
  | { kind: 'revert'; errorName: string; args: unknown[]; message: string }
  | { kind: 'error'; message: string; code: string | null };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A failed call as the form shows it: a decoded revert, or the core's message. */
function outcomeOfError(err: unknown): Outcome {
  if (err instanceof ApiCallError && err.code === 'CHAIN_REVERTED' && isRecord(err.details) && typeof err.details.errorName === 'string') {
    const d = err.details;
    return {
      kind: 'revert',
      errorName: d.errorName as string,
      args: Array.isArray(d.args) ? d.args : [],
      message: typeof d.message === 'string' ? d.message : err.message,
    };
  }
  return { kind: 'error', message: err instanceof Error ? err.message : String(err), code: err instanceof ApiCallError ? err.code : null };
}

interface FunctionFormProps {
  contract: string;
  fn: AbiFunction;
  mode: 'read' | 'write';
  symbol: string;
}

/**
 * One ABI function as a form: a field per argument with its Solidity type, the value in OPEN
 * when it is payable, and the dev account to send from. Fields are checked as typed (the core
 * checks again); the result, the decoded revert, or the sent transaction shows below.
 */
export function FunctionForm({ contract, fn, mode, symbol }: FunctionFormProps) {
  const signature = functionSignature(fn);
  const idBase = `${contract}-${mode}-${signature}`.replace(/[^\w-]/g, '_');
  const [texts, setTexts] = useState<string[]>(() => fn.inputs.map(() => ''));
  const [touched, setTouched] = useState(false);
  const [value, setValue] = useState('');
  const [from, setFrom] = useState(0);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const payable = fn.stateMutability === 'payable';

  const parsed = parseArguments(fn.inputs, texts);
  const valueParsed = parseOpenInput(value, symbol);
  const canSend = parsed.args !== null && (!payable || valueParsed.ok);

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
      } else {
        const result = await api().call('chain.write', {
          contract,
          functionName: fn.name,
          args: parsed.args!,
          from,
          ...(payable && valueParsed.ok && valueParsed.value !== '0' ? { value: valueParsed.value } : {}),
        });
        setOutcome({ kind: 'write', result });
      }
    } catch (err) {
      setOutcome(outcomeOfError(err));
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
            value <code className="fn-form__type">{symbol}</code>
          </label>
          <input
            id={`${idBase}-value`}
            className={!valueParsed.ok ? 'input mono is-invalid' : 'input mono'}
            value={value}
            placeholder={`${symbol} to send, e.g. 1.5`}
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
        <div className="fn-form__field">
          <label className="fn-form__label" htmlFor={`${idBase}-from`}>
            from <span className="muted">dev account (well-known key, devnet only)</span>
          </label>
          <select id={`${idBase}-from`} className="select mono" value={from} onChange={(e) => setFrom(Number(e.target.value))}>
            {DEV_ACCOUNT_ADDRESSES.map((a, i) => (
              <option key={a} value={i}>
                #{i} · {shortHex(a)}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div className="fn-form__actions">
        <button type="submit" className={mode === 'write' ? 'button' : 'button button--secondary'} disabled={busy || (touched && !canSend)}>
          <Codicon name={busy ? 'loading' : mode === 'read' ? 'eye' : 'send'} spin={busy} />
          {busy ? (mode === 'read' ? 'Reading…' : 'Sending…') : mode === 'read' ? 'Read' : 'Send transaction'}
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
      return <RevertNotice errorName={outcome.errorName} args={outcome.args} message={outcome.message} />;
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
            <button type="button" className="link-button" onClick={() => openChainView({ page: 'transaction', hash: r.hash })} data-testid="write-tx-link">
              View transaction <span className="mono">{shortHex(r.hash, 10, 6)}</span>
            </button>
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
