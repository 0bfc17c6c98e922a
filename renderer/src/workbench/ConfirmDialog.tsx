import { useEffect, useRef } from 'react';
import { useStore } from 'zustand';
import { confirmStore } from './confirmStore';
import { Codicon } from '../components/Codicon';

/**
 * The modal question confirmStore.ask() puts on screen. Focus starts on Cancel (the safe
 * answer), Tab stays inside, Escape cancels, and focus goes back where it was.
 */
export function ConfirmDialog() {
  const request = useStore(confirmStore, (s) => s.request);
  const cancel = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (!request) return;
    returnFocus.current = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => {
      const el = returnFocus.current;
      if (el && el !== document.body && el.isConnected) el.focus();
    };
  }, [request]);

  if (!request) return null;
  const answer = (ok: boolean) => confirmStore.getState().answer(ok);

  return (
    <div className="palette-backdrop dialog-backdrop" onMouseDown={() => answer(false)}>
      <div
        ref={dialog}
        className="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="confirm-title"
        aria-describedby="confirm-message"
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            answer(false);
          } else if (e.key === 'Tab') {
            const buttons = [...(dialog.current?.querySelectorAll<HTMLButtonElement>('button') ?? [])];
            const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
            e.preventDefault();
            buttons[(i + (e.shiftKey ? -1 : 1) + buttons.length) % buttons.length]?.focus();
          }
        }}
      >
        <div className="dialog__body">
          <Codicon name={request.danger ? 'warning' : 'question'} className={request.danger ? 'dialog__icon tone-warning' : 'dialog__icon tone-info'} />
          <div>
            <h2 id="confirm-title" className="dialog__title">
              {request.title}
            </h2>
            <p id="confirm-message" className="dialog__message">
              {request.message}
            </p>
          </div>
        </div>
        <div className="dialog__actions">
          <button type="button" className={request.danger ? 'button button--danger' : 'button'} onClick={() => answer(true)}>
            {request.confirmLabel}
          </button>
          <button ref={cancel} type="button" className="button button--secondary" onClick={() => answer(false)}>
            Cancel
          </button>
        </div>
      </div>
    </div>
  );
}
