import { useStore } from 'zustand';
import { toastStore } from './toastStore';
import { Codicon } from '../components/Codicon';

const ICON = { error: 'error', warning: 'warning', info: 'info' } as const;

/** Notifications in the bottom-right corner; errors stay until dismissed. */
export function Toasts() {
  const toasts = useStore(toastStore, (s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className={`toast toast--${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'} data-testid={`toast-${t.kind}`}>
          <Codicon name={ICON[t.kind]} className="toast__icon" />
          <div className="toast__text">
            <div className="toast__message">{t.message}</div>
            {t.source ? <div className="toast__source">{t.source}</div> : null}
          </div>
          <button type="button" className="icon-button" aria-label="Dismiss notification" onClick={() => toastStore.getState().dismiss(t.id)}>
            <Codicon name="close" />
          </button>
        </div>
      ))}
    </div>
  );
}
