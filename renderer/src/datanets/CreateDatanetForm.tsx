import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { RecordSchemaKind } from '../../../main/api/datanetSchemas';
import { FormFooter } from '../components/FormFooter';
import { datanetsStore } from './datanetsStore';
import { openDatanet } from './datanetTabs';

const SCHEMAS: { value: RecordSchemaKind; label: string }[] = [
  { value: 'text', label: 'Plain text' },
  { value: 'instruction', label: 'Instruction (prompt, response)' },
  { value: 'chat', label: 'Chat messages' },
  { value: 'labelled', label: 'Labelled text' },
];

// The core's rule, repeated only to say it while typing; the core checks it again.
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Name, record schema, domain, description and licence; the core's refusal shows under the form. */
export function CreateDatanetForm({ request, onClose }: { request: number; onClose: () => void }) {
  const [name, setName] = useState('');
  const [schema, setSchema] = useState<RecordSchemaKind>('text');
  const [domain, setDomain] = useState('');
  const [description, setDescription] = useState('');
  const [licence, setLicence] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), [request]);
  const nameError = name !== '' && !NAME.test(name) ? 'Lowercase letters, digits, ".", "_" or "-", starting with a letter or digit.' : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || name === '' || nameError) return;
    setBusy(true);
    setError(null);
    try {
      const d = await datanetsStore.getState().create({ name, schema, domain, description, licence });
      onClose();
      openDatanet(d.name, 'import');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="form form--boxed" onSubmit={submit} noValidate aria-label="Create datanet" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div className="form__field">
        <label className="form__label" htmlFor="datanet-name">
          Name
        </label>
        <input
          id="datanet-name"
          ref={first}
          className={`input mono${nameError ? ' is-invalid' : ''}`}
          value={name}
          placeholder="e.g. support-chats"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={nameError !== null}
          onChange={(e) => setName(e.target.value)}
        />
        <div className={nameError ? 'form__hint is-error' : 'form__hint'}>{nameError ?? 'Lowercase letters, digits, ".", "_" and "-".'}</div>
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor="datanet-schema">
          Record schema
        </label>
        <select id="datanet-schema" className="input" value={schema} onChange={(e) => setSchema(e.target.value as RecordSchemaKind)}>
          {SCHEMAS.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor="datanet-domain">
          Domain
        </label>
        <input id="datanet-domain" className="input" value={domain} placeholder="e.g. customer support" onChange={(e) => setDomain(e.target.value)} />
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor="datanet-description">
          Description
        </label>
        <textarea id="datanet-description" className="input" rows={2} value={description} onChange={(e) => setDescription(e.target.value)} />
      </div>
      <div className="form__field">
        <label className="form__label" htmlFor="datanet-licence">
          Licence
        </label>
        <input id="datanet-licence" className="input" value={licence} placeholder="e.g. CC-BY-4.0" onChange={(e) => setLicence(e.target.value)} />
      </div>
      <FormFooter error={error} busy={busy} submitLabel="Create datanet" busyLabel="Creating…" onCancel={onClose} />
    </form>
  );
}
