import { createStore } from 'zustand/vanilla';

export type ToastKind = 'error' | 'warning' | 'info';

export interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** A second line: the failing method or the error code. */
  source?: string;
}

export interface ToastStore {
  toasts: Toast[];
  show(kind: ToastKind, message: string, source?: string): number;
  dismiss(id: number): void;
}

/** Errors stay until dismissed; info fades after a few seconds. */
const AUTO_DISMISS_MS: Record<ToastKind, number | null> = { error: null, warning: 12_000, info: 5_000 };
const MAX_TOASTS = 4;
let nextId = 1;

export const toastStore = createStore<ToastStore>()((set, get) => ({
  toasts: [],
  show(kind, message, source) {
    const id = nextId++;
    const toast: Toast = source === undefined ? { id, kind, message } : { id, kind, message, source };
    set({ toasts: [...get().toasts, toast].slice(-MAX_TOASTS) });
    const ms = AUTO_DISMISS_MS[kind];
    if (ms !== null) setTimeout(() => get().dismiss(id), ms);
    return id;
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

interface ErrorWithCode {
  message: string;
  code?: unknown;
  method?: unknown;
}

/** Shows a failed call's server message; the method and code go on the second line. */
export function reportError(err: unknown, what?: string): void {
  const e = (err instanceof Error ? err : { message: String(err) }) as ErrorWithCode;
  const parts = [what, typeof e.method === 'string' ? e.method : undefined, typeof e.code === 'string' ? e.code : undefined];
  const source = parts.filter(Boolean).join(' · ');
  toastStore.getState().show('error', e.message, source || undefined);
}
