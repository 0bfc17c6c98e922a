import '@vscode/codicons/dist/codicon.css';
import './styles/theme.css';
import './styles/workbench-layout.css';
import './styles/lists-and-forms.css';
import './styles/editor-area.css';
import './styles/panel-and-status-bar.css';
import './styles/palette-and-toasts.css';
import './styles/chain-explorer.css';
import './styles/dialogs.css';
import './styles/datanets.css';
import './styles/governance.css';
import './styles/playground.css';
import './styles/factory.css';
import './styles/attribution.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { checkLaunchToken, forgetLaunchToken, takeLaunchToken } from './api/launchToken';
import { stopApi } from './api/client';
import { startSession } from './api/session';
import { LaunchTokenRequired } from './components/LaunchTokenRequired';
import { connectionStore } from './workbench/connectionStore';
import { registerContributions } from './contributions';
import { contributions } from './workbench/contributions';
import { openWelcome } from './workspace/workspaceTabs';
import { workbenchStore } from './workbench/workbenchStore';
import { Workbench } from './workbench/Workbench';
import { settingsStore, isSettingsDirty } from './workspace/settingsStore';
import type { Theme } from './workbench/theming/theme';
import { themeStore } from './workbench/theming/themeStore';

// The theme lives on <html data-theme>, where the CSS variables switch. It is set before the
// first paint (no inline script may do it: CSP) and follows the store from then on.
const applyTheme = (theme: Theme) => {
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.colorScheme = theme;
};
applyTheme(themeStore.getState().theme);
themeStore.subscribe((s) => applyTheme(s.theme));

// Unsaved settings survive neither a reload nor a closed tab (in a browser Ctrl+W is the
// browser's own key): ask first.
window.addEventListener('beforeunload', (e) => {
  if (isSettingsDirty(settingsStore.getState())) e.preventDefault();
});

/**
 * In a browser the page is public and the API needs the launch token: without one (or with a
 * stale one from an earlier launch) say how to get it instead of showing a workbench that cannot
 * connect. Electron's preload bridge needs no token.
 */
async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const refuse = (stale: boolean) => {
    forgetLaunchToken(window.sessionStorage);
    root.render(<LaunchTokenRequired stale={stale} />);
  };
  if (!window.studio) {
    const token = takeLaunchToken(window);
    if (token === null || (await checkLaunchToken(token)) === 'refused') return refuse(token !== null);
    // A server restarted on the same port has a new token: while the socket cannot get back
    // in, ask at each attempt whether ours is still good, and once it is not, say so.
    connectionStore.subscribe((now, before) => {
      if (now.state !== 'disconnected' || now.attempt === before.attempt) return;
      void checkLaunchToken(token).then((verdict) => {
        if (verdict !== 'refused') return;
        stopApi();
        refuse(true);
      });
    });
  }
  registerContributions();
  // The remembered layout names an activity: read it once every activity is registered.
  workbenchStore.getState().restoreLayout(contributions.activities().map((a) => a.id));
  startSession();
  openWelcome();
  root.render(
    <StrictMode>
      <Workbench />
    </StrictMode>,
  );
}

void boot();
