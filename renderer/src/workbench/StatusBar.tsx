import { useStore } from 'zustand';
import { commands } from './commands/registry';
import { runningJobCount } from '../jobs/jobs';
import { connectionStore } from './connectionStore';
import { jobsStore } from '../jobs/jobsStore';
import { themeStore } from './theming/themeStore';
import { workspaceStore } from '../workspace/workspaceStore';
import { Codicon } from '../components/Codicon';
import { ConnectionStatusItem } from './ConnectionStatusItem';
import { keybindingLabel } from '../components/Keybinding';
import { StatusBarItem } from './StatusBarItem';

const CAP_ICON = { ready: 'pass-filled', stopped: 'circle-large-outline', unavailable: 'circle-slash', error: 'error' } as const;

/** The bottom line: workspace and connection on the left, jobs, chain, engine and theme on the right. */
export function StatusBar() {
  const current = useStore(workspaceStore, (s) => s.current);
  const opening = useStore(workspaceStore, (s) => s.opening);
  const info = useStore(workspaceStore, (s) => s.appInfo);
  const running = useStore(jobsStore, (s) => runningJobCount(s.jobs));
  const theme = useStore(themeStore, (s) => s.theme);
  const connected = useStore(connectionStore, (s) => s.state === 'connected');

  return (
    <footer className={connected ? 'status-bar' : 'status-bar is-offline'} aria-label="Status bar">
      <div className="status-bar__left">
        <StatusBarItem
          className="status-bar__workspace"
          title={`Switch workspace (${keybindingLabel('Mod+Alt+O')})${current ? `\n${current.path}` : ''}`}
          onClick={() => void commands.run('workspace.switch')}
          testId="status-workspace"
        >
          <Codicon name={opening ? 'loading' : 'folder-library'} spin={!!opening} />
          {opening ? `Opening ${opening}…` : (current?.name ?? 'No workspace')}
        </StatusBarItem>
        <ConnectionStatusItem />
        <StatusBarItem title="Show jobs" onClick={() => void commands.run('panel.jobs')} testId="status-jobs">
          <Codicon name={running > 0 ? 'sync' : 'server-process'} spin={running > 0} />
          {running > 0 ? `${running} running` : 'No jobs running'}
        </StatusBarItem>
      </div>
      <div className="status-bar__right">
        {info ? (
          <>
            <StatusBarItem title={`Chain: ${info.chain.detail}`} onClick={() => showView('chain')} testId="status-chain">
              <Codicon name={CAP_ICON[info.chain.state]} />
              {info.chain.label}
            </StatusBarItem>
            <StatusBarItem title={`Model engine: ${info.engine.detail}`} onClick={() => showView('factory')} testId="status-engine">
              <Codicon name="chip" />
              {info.engine.label}
            </StatusBarItem>
          </>
        ) : null}
        <StatusBarItem
          title={`Switch to the ${theme === 'dark' ? 'light' : 'dark'} theme (${keybindingLabel('Mod+Alt+T')})`}
          onClick={() => void commands.run('workbench.toggleTheme')}
          testId="status-theme"
        >
          <Codicon name={theme === 'dark' ? 'color-mode' : 'lightbulb'} />
          {theme === 'dark' ? 'Dark' : 'Light'}
        </StatusBarItem>
        <StatusBarItem title="Show all commands" onClick={() => void commands.run('workbench.commandPalette')}>
          <Codicon name="symbol-event" />
        </StatusBarItem>
      </div>
    </footer>
  );
}

function showView(view: 'chain' | 'factory') {
  void commands.run(`workbench.view.${view}`);
}
