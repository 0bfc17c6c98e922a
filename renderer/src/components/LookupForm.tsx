import type { FormEvent, ReactNode } from 'react';

/**
 * An inline "look up" form: a label, one monospace input, a submit button and a hint line that
 * shows `error` as an alert. The hint's id is `${id}-hint`; the input points at it.
 */
export function LookupForm({
  id,
  label,
  placeholder,
  value,
  error,
  onChange,
  onSubmit,
  submitLabel,
  busy,
  hintTestId,
}: {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  error: string | null;
  onChange: (value: string) => void;
  onSubmit: () => void;
  submitLabel: ReactNode;
  busy?: boolean;
  hintTestId?: string;
}) {
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <label className="form__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className={error ? 'input input--wide mono is-invalid' : 'input input--wide mono'}
        placeholder={placeholder}
        value={value}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error !== null}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      <button type="submit" className="button button--secondary" disabled={busy}>
        {submitLabel}
      </button>
      <div id={`${id}-hint`} className={error ? 'form__hint is-error' : 'form__hint'} role={error ? 'alert' : undefined} data-testid={hintTestId}>
        {error ?? ''}
      </div>
    </form>
  );
}
