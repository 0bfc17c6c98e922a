import { FormFooter } from '../../components/FormFooter';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { type NetworkDraft, type NetworkField, fieldOfError, validateNetworkDraft } from './remoteForms';
import { chainStore } from '../devnet/chainStore';
import { networksStore } from './networksStore';

const EMPTY: NetworkDraft = { name: '', rpcUrl: '', chainId: '', currencySymbol: 'OPEN' };
const FIELDS: readonly NetworkField[] = ['name', 'rpcUrl', 'chainId', 'currencySymbol'];
const LABELS: Record<NetworkField, { label: string; placeholder: string; hint: string }> = {
  name: { label: 'Name', placeholder: 'e.g. open-testnet', hint: 'Lowercase letters, digits, ".", "_" and "-".' },
  rpcUrl: { label: 'RPC URL', placeholder: 'https://rpc.example.org', hint: 'The JSON-RPC endpoint (http or https).' },
  chainId: { label: 'Chain id', placeholder: 'e.g. 4242', hint: 'The id the RPC must report; checked before every send.' },
  currencySymbol: { label: 'Currency symbol', placeholder: 'OPEN', hint: 'The native currency fees are paid in.' },
};

/** Name, RPC URL, chain id and currency, checked as typed; the core's refusal lands beside its field. */
export function AddNetworkForm({ request }: { request: number }) {
  const [draft, setDraft] = useState<NetworkDraft>(EMPTY);
  const [touched, setTouched] = useState<Partial<Record<NetworkField, boolean>>>({});
  const [server, setServer] = useState<{ field: NetworkField | null; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const names = useStore(networksStore, (s) => s.networks).map((n) => n.name);
  const devnetChainId = useStore(chainStore, (s) => s.status?.chainId ?? null);
  const first = useRef<HTMLInputElement>(null);
  const errors = validateNetworkDraft(draft, names, devnetChainId);
  const valid = Object.keys(errors).length === 0;

  useEffect(() => {
    first.current?.focus();
  }, [request]);

  const close = () => networksStore.setState({ addRequest: 0 });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched({ name: true, rpcUrl: true, chainId: true, currencySymbol: true });
    if (!valid || busy) return;
    setBusy(true);
    setServer(null);
    try {
      await networksStore
        .getState()
        .add({ name: draft.name, rpcUrl: draft.rpcUrl.trim(), chainId: Number(draft.chainId), currencySymbol: draft.currencySymbol });
      setDraft(EMPTY);
      setTouched({});
      close();
    } catch (err) {
      setServer(fieldOfError(err as Error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form--boxed" onSubmit={submit} noValidate aria-label="Add network" onKeyDown={(e) => e.key === 'Escape' && close()}>
      {FIELDS.map((f, i) => {
        const id = `add-network-${f}`;
        const error = (touched[f] && draft[f] !== '' ? errors[f] : undefined) ?? (server?.field === f ? server.message : undefined);
        return (
          <div key={f} className="form__field">
            <label className="form__label" htmlFor={id}>
              {LABELS[f].label}
            </label>
            <input
              id={id}
              ref={i === 0 ? first : undefined}
              className={`input${f === 'name' || f === 'currencySymbol' ? '' : ' mono'}${error ? ' is-invalid' : ''}`}
              value={draft[f]}
              placeholder={LABELS[f].placeholder}
              spellCheck={false}
              autoComplete="off"
              inputMode={f === 'chainId' ? 'numeric' : undefined}
              aria-invalid={error !== undefined}
              aria-describedby={`${id}-hint`}
              onChange={(e) => {
                setDraft({ ...draft, [f]: e.target.value });
                setTouched({ ...touched, [f]: true });
                if (server?.field === f) setServer(null);
              }}
            />
            <div id={`${id}-hint`} className={error ? 'form__hint is-error' : 'form__hint'}>
              {error ?? LABELS[f].hint}
            </div>
          </div>
        );
      })}
      <FormFooter error={server && server.field === null ? server.message : null} busy={busy} submitLabel="Add network" busyLabel="Adding…" onCancel={close} />
    </form>
  );
}
