import '@vscode/codicons/dist/codicon.css';
import './styles/theme.css';
import './styles/workbench-layout.css';
import './styles/lists-and-forms.css';
import './styles/editor-area.css';
import './styles/panel-and-status-bar.css';
import './styles/palette-and-toasts.css';
import './styles/chain-explorer.css';
import './styles/dialogs.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { startSession } from './api/session';
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

registerContributions();
// The remembered layout names an activity: read it once every activity is registered.
workbenchStore.getState().restoreLayout(contributions.activities().map((a) => a.id));
startSession();
openWelcome();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Workbench />
  </StrictMode>,
);
