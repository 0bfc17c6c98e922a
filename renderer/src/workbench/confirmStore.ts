import { createStore } from 'zustand/vanilla';

export interface ConfirmRequest {
  title: string;
  message: string;
  confirmLabel: string;
  /** A destructive action gets the warning colour. */
  danger?: boolean;
}

export interface ConfirmStore {
  request: ConfirmRequest | null;
  resolve: ((ok: boolean) => void) | null;
  /** Shows the dialog; resolves true when confirmed, false on cancel or Escape. */
  ask(request: ConfirmRequest): Promise<boolean>;
  answer(ok: boolean): void;
}

/** One modal question at a time (reset the devnet?); a second ask cancels the first. */
export const confirmStore = createStore<ConfirmStore>()((set, get) => ({
  request: null,
  resolve: null,
  ask(request) {
    get().resolve?.(false);
    return new Promise<boolean>((resolve) => set({ request, resolve }));
  },
  answer(ok) {
    const resolve = get().resolve;
    set({ request: null, resolve: null });
    resolve?.(ok);
  },
}));
