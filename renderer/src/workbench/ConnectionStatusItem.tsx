import { useStore } from 'zustand';
import { connectionStore } from './connectionStore';
import { Codicon } from '../components/Codicon';

const TEXT = {
  connecting: { icon: 'loading', label: 'Connecting…', title: 'Connecting to the Studio core' },
  connected: { icon: 'plug', label: '', title: 'Connected to the Studio core' },
  reconnecting: { icon: 'loading', label: 'Reconnecting…', title: 'The connection to the Studio core dropped; trying again' },
  disconnected: { icon: 'debug-disconnect', label: 'Disconnected', title: 'The Studio core is not answering; still trying' },
} as const;

/** The connection to the core: a quiet plug while connected, words when it is not. */
export function ConnectionStatusItem() {
  const state = useStore(connectionStore, (s) => s.state);
  const t = TEXT[state];
  return (
    <span className={`status-bar__item status-bar__connection is-${state}`} title={t.title} role="status" data-testid="status-connection" data-state={state}>
      <Codicon name={t.icon} spin={t.icon === 'loading'} />
      {t.label}
    </span>
  );
}
