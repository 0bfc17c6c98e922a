import { FormFooter } from '../../components/FormFooter';
import { type FormEvent, type ReactNode, type Ref, useEffect, useRef, useState } from 'react';
import { type KeyField, MIN_PASSPHRASE_LENGTH, fieldOfError, validateKeyDraft } from '../networks/remoteForms';
import { type KeyFormMode, keysStore } from './keysStore';

const FIELDS: readonly (KeyField | 'label')[] = ['privateKey', 'label', 'passphrase', 'confirm'];

/**
 * Create a key, or import one by its private key. Secrets live only in this form's state, go to
 * the core once, and are cleared after the submit whatever its outcome (a failed import is typed
 * again rather than held); the store never sees them.
 */
export function KeyForm({ mode, request }: { mode: KeyFormMode; request: number }) {
  const [privateKey, setPrivateKey] = useState('');
  const [label, setLabel] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [server, setServer] = useState<{ field: KeyField | 'label' | null; message: string } | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const importing = mode === 'import';
  const errors = validateKeyDraft({ privateKey: importing ? privateKey : null, passphrase, confirm });
  const valid = Object.keys(errors).length === 0;

  useEffect(() => {
    first.current?.focus();
  }, [request]);

  const clearSecrets = () => {
    setPrivateKey('');
    setPassphrase('');
    setConfirm('');
  };
  const close = () => {
    clearSecrets();
    keysStore.getState().closeForm();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!valid || busy) return;
    setBusy(true);
    setServer(null);
    const secrets = { privateKey, passphrase };
    clearSecrets();
    try {
      const store = keysStore.getState();
      if (importing) await store.import(secrets.privateKey, label.trim() || undefined, secrets.passphrase);
      else await store.create(label.trim() || undefined, secrets.passphrase);
      setLabel('');
      setTouched(false);
      keysStore.getState().closeForm();
    } catch (err) {
      setTouched(false);
      setServer(fieldOfError(err as Error, FIELDS));
    } finally {
      setBusy(false);
    }
  };

  const shown = (f: KeyField, value: string) => (touched || value !== '' ? errors[f] : undefined) ?? (server?.field === f ? server.message : undefined);
  const field = (f: KeyField | 'label', text: string, input: ReactNode, error: string | undefined, hint: string) => (
    <div className="form__field">
      <label className="form__label" htmlFor={`key-${f}`}>
        {text}
      </label>
      {input}
      <div id={`key-${f}-hint`} className={error ? 'form__hint is-error' : 'form__hint'}>
        {error ?? hint}
      </div>
    </div>
  );
  const secret = (f: KeyField, value: string, set: (v: string) => void, ref?: Ref<HTMLInputElement>) => (
    <input
      id={`key-${f}`}
      ref={ref}
      type="password"
      className={`input mono${shown(f, value) ? ' is-invalid' : ''}`}
      value={value}
      autoComplete={f === 'privateKey' ? 'off' : 'new-password'}
      spellCheck={false}
      aria-invalid={shown(f, value) !== undefined}
      aria-describedby={`key-${f}-hint`}
      onChange={(e) => {
        set(e.target.value);
        if (server?.field === f) setServer(null);
      }}
    />
  );

  return (
    <form
      className="form form--boxed"
      onSubmit={submit}
      noValidate
      aria-label={importing ? 'Import key' : 'Create key'}
      onKeyDown={(e) => e.key === 'Escape' && close()}
    >
      {importing
        ? field(
            'privateKey',
            'Private key',
            secret('privateKey', privateKey, setPrivateKey, first),
            shown('privateKey', privateKey),
            '64 hex digits; sent once to the core, never shown again.',
          )
        : null}
      {field(
        'label',
        'Label',
        <input
          id="key-label"
          ref={importing ? undefined : first}
          className="input"
          value={label}
          placeholder="e.g. publisher"
          autoComplete="off"
          aria-describedby="key-label-hint"
          onChange={(e) => setLabel(e.target.value)}
        />,
        server?.field === 'label' ? server.message : undefined,
        'Optional: how lists name it.',
      )}
      {field(
        'passphrase',
        'Passphrase',
        secret('passphrase', passphrase, setPassphrase),
        shown('passphrase', passphrase),
        `At least ${MIN_PASSPHRASE_LENGTH} characters; asked before every send.`,
      )}
      {field('confirm', 'Confirm passphrase', secret('confirm', confirm, setConfirm), shown('confirm', confirm), 'Type it again.')}
      <p className="form__note muted">Sealed as a Web3 Secret Storage (v3) keystore in the workspace's keys/ folder. The passphrase cannot be recovered.</p>
      <FormFooter
        error={server && server.field === null ? server.message : null}
        busy={busy}
        submitLabel={importing ? 'Import key' : 'Create key'}
        busyLabel={importing ? 'Importing…' : 'Creating…'}
        onCancel={close}
      />
    </form>
  );
}
