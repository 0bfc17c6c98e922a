/**
 * The end of a side-bar form: an error the server could not pin to a field, then submit and
 * cancel. Field-level errors stay beside their fields.
 */
export function FormFooter({ error, busy, submitLabel, busyLabel, onCancel }: { error: string | null; busy: boolean; submitLabel: string; busyLabel: string; onCancel: () => void }) {
  return (
    <>
      {error !== null ? (
        <div className="inline-error inline-error--flush" role="alert">
          {error}
        </div>
      ) : null}
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? busyLabel : submitLabel}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}
