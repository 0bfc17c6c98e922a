import { useStore } from 'zustand';
import { connectionStore } from './connectionStore';
import { Codicon } from '../components/Codicon';

/** Across the top while the core cannot be reached: what happened and what to do. */
export function ConnectionBanner() {
  const { state, attempt } = useStore(connectionStore);
  if (state === 'connected' || (state === 'connecting' && attempt === 0)) return null;
  const lost = state === 'reconnecting' || state === 'disconnected';
  return (
    <div className={`banner banner--${state === 'disconnected' ? 'error' : 'warning'}`} role="alert" data-testid="connection-banner">
      <Codicon name={state === 'disconnected' ? 'debug-disconnect' : 'loading'} spin={state !== 'disconnected'} />
      <span>
        {lost ? 'The connection to the Studio core was lost. ' : 'The Studio core is not answering. '}
        {state === 'disconnected'
          ? `Still trying (attempt ${attempt}). If the server was restarted, open the new URL it printed (it carries a new token).`
          : 'Reconnecting…'}
      </span>
    </div>
  );
}
