import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { SectionHeader } from '../components/SectionHeader';
import { validateWorkspaceName } from './workspaceName';
import { workbenchStore } from '../workbench/workbenchStore';
import { workspaceStore } from './workspaceStore';

/** A name field checked as it is typed (the core checks again), and a Create button. */
export function CreateWorkspaceForm() {
  const [name, setName] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const names = useStore(workspaceStore, (s) => s.list).map((w) => w.name);
  const request = useStore(workbenchStore, (s) => s.createWorkspaceRequest);
  const input = useRef<HTMLInputElement>(null);
  const error = validateWorkspaceName(name, names);
  const showError = touched && name.length > 0 && error !== null;

  useEffect(() => {
    if (request > 0) input.current?.focus();
  }, [request]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (error || busy) return;
    setBusy(true);
    const created = await workspaceStore.getState().create(name);
    setBusy(false);
    if (created) {
      setName('');
      setTouched(false);
    }
  };

  return (
    <section aria-label="New workspace">
      <SectionHeader title="New workspace" />
      <form className="form" onSubmit={submit} noValidate>
        <label className="form__label" htmlFor="new-workspace-name">
          Name
        </label>
        <input
          id="new-workspace-name"
          ref={input}
          className={showError ? 'input is-invalid' : 'input'}
          value={name}
          placeholder="e.g. medical-qa"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={showError}
          aria-describedby="new-workspace-hint"
          onChange={(e) => {
            setName(e.target.value);
            setTouched(true);
          }}
        />
        <div id="new-workspace-hint" className={showError ? 'form__hint is-error' : 'form__hint'} role={showError ? 'alert' : undefined}>
          {showError ? error : 'Lowercase letters, digits, "-" and "_".'}
        </div>
        <button type="submit" className="button" disabled={busy || error !== null}>
          {busy ? 'Creating…' : 'Create workspace'}
        </button>
      </form>
    </section>
  );
}
