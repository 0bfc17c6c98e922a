import { createStore } from 'zustand/vanilla';
import type { ConnectionState } from '../api/reconnectingTransport';

export interface ConnectionStore {
  state: ConnectionState;
  /** Failed attempts in a row; 0 while connected. */
  attempt: number;
  set(state: ConnectionState, attempt: number): void;
}

export const connectionStore = createStore<ConnectionStore>()((set) => ({
  state: 'connecting',
  attempt: 0,
  set: (state, attempt) => set({ state, attempt }),
}));
