import { createStore } from 'zustand/vanilla';
import { ApiCallError } from '../../../../main/api/apiClient';
import type { ConfirmWriteResult, PreparedWrite } from '../../../../main/api/networkSchemas';
import { api } from '../../api/client';

/** How a reviewed write ended, for the form that asked. */
export type ReviewOutcome =
  | { kind: 'sent'; result: ConfirmWriteResult }
  | { kind: 'cancelled' }
  | { kind: 'revert'; errorName: string; args: unknown[]; message: string }
  | { kind: 'error'; message: string; code: string | null };

export interface PreparedWriteStore {
  /** The write on screen in the confirm dialog: decoded call and fee, nothing signed yet. */
  prepared: PreparedWrite | null;
  confirming: boolean;
  /** A refusal the user can fix in the dialog (a wrong passphrase): the prepared write is kept. */
  error: { message: string; code: string | null } | null;
  resolve: ((outcome: ReviewOutcome) => void) | null;
  /** Shows the dialog; resolves when it is confirmed and sent, cancelled, or fails for good. */
  review(prepared: PreparedWrite): Promise<ReviewOutcome>;
  /** The passphrase is an argument only: it is never stored. */
  confirm(passphrase: string): Promise<void>;
  cancel(): void;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** A failed prepare or confirm as the form shows it: a decoded revert, or the core's message. */
export function outcomeOfError(err: unknown): Extract<ReviewOutcome, { kind: 'revert' | 'error' }> {
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

/** Tells the core to forget a prepared write the user walked away from (idempotent; a failure
 * only leaves it to expire). */
function discard(preparedId: string): void {
  void api()
    .call('chain.discardWrite', { preparedId })
    .catch(() => undefined);
}

/** One prepared write under review at a time; a second review cancels (and discards) the first. */
export const preparedWriteStore = createStore<PreparedWriteStore>()((set, get) => {
  const finish = (outcome: ReviewOutcome) => {
    const resolve = get().resolve;
    set({ prepared: null, confirming: false, error: null, resolve: null });
    resolve?.(outcome);
  };
  return {
    prepared: null,
    confirming: false,
    error: null,
    resolve: null,

    review(prepared) {
      const previous = get().prepared;
      if (previous && previous.preparedId !== prepared.preparedId && !get().confirming) discard(previous.preparedId);
      get().resolve?.({ kind: 'cancelled' });
      return new Promise<ReviewOutcome>((resolve) => set({ prepared, confirming: false, error: null, resolve }));
    },

    async confirm(passphrase) {
      const prepared = get().prepared;
      if (!prepared || get().confirming) return;
      set({ confirming: true, error: null });
      try {
        const result = await api().call('chain.confirmWrite', { preparedId: prepared.preparedId, passphrase });
        if (get().prepared?.preparedId === prepared.preparedId) finish({ kind: 'sent', result });
      } catch (err) {
        if (get().prepared?.preparedId !== prepared.preparedId) return;
        // A wrong passphrase leaves the prepared write in the core: the user types it again.
        if (err instanceof ApiCallError && err.code === 'KEY_PASSPHRASE_INCORRECT') set({ confirming: false, error: { message: err.message, code: err.code } });
        else finish(outcomeOfError(err));
      }
    },

    cancel() {
      const prepared = get().prepared;
      if (get().confirming) return;
      if (prepared) discard(prepared.preparedId);
      finish({ kind: 'cancelled' });
    },
  };
});
