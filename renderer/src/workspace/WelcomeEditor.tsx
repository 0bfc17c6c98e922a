import { useStore } from 'zustand';
import { commands } from '../workbench/commands/registry';
import { Codicon } from '../components/Codicon';
import { Keybinding } from '../components/Keybinding';
import { StatusPill } from '../components/StatusPill';
import { formatBytes, formatDateTime } from '../base/format';
import { workbenchStore } from '../workbench/workbenchStore';
import { workspaceStore } from './workspaceStore';

const START = [
  { id: 'settings.open', icon: 'settings-gear' },
  { id: 'artifacts.verify', icon: 'verified' },
  { id: 'workspace.switch', icon: 'arrow-swap' },
  { id: 'workspace.create', icon: 'new-folder' },
  { id: 'workbench.commandPalette', icon: 'symbol-event' },
];

/** The workspace overview: what is open, what this build can do, and every workspace. */
export function WelcomeEditor() {
  const { current, list, appInfo, opening, loadError } = useStore(workspaceStore);
  return (
    <div className="page" data-testid="workspace-overview">
      <header className="page__header">
        <Codicon name="home" className="page__icon" />
        <div>
          <h1 className="page__title">{current ? current.name : 'Workspace'}</h1>
          <p className="page__subtitle mono">{current?.path ?? 'No workspace is open.'}</p>
        </div>
      </header>

      <div className="page__columns">
        <section className="page__section">
          <h2>Workspace</h2>
          {current ? (
            <dl className="facts">
              <dt>Name</dt>
              <dd>
                {current.name} {current.isDemo ? <span className="tag">demo</span> : null}
              </dd>
              <dt>Path</dt>
              <dd className="mono">{current.path}</dd>
              <dt>Created</dt>
              <dd>{formatDateTime(current.createdAt)}</dd>
              <dt>Schema version</dt>
              <dd>{current.schemaVersion}</dd>
              <dt>Artifacts</dt>
              <dd>
                {current.counts.artifacts} <span className="muted">({formatBytes(current.artifactBytes)})</span>
              </dd>
              <dt>Jobs</dt>
              <dd>{current.counts.jobs}</dd>
            </dl>
          ) : loadError ? (
            <div className="inline-error inline-error--flush" role="alert">
              {loadError}
            </div>
          ) : (
            <p className="muted">Waiting for the core…</p>
          )}

          <h2>This build</h2>
          {appInfo ? (
            <dl className="facts">
              <dt>Version</dt>
              <dd>
                {appInfo.version} <span className="muted">({appInfo.mode} mode, {appInfo.platform}, Node {appInfo.nodeVersion})</span>
              </dd>
              <dt>Model engine</dt>
              <dd>
                <StatusPill status={appInfo.engine} /> <span className="muted">{appInfo.engine.detail}</span>
              </dd>
              <dt>Chain</dt>
              <dd>
                <StatusPill status={appInfo.chain} /> <span className="muted">{appInfo.chain.detail}</span>
              </dd>
            </dl>
          ) : null}
        </section>

        <section className="page__section">
          <h2>Start</h2>
          <ul className="start-list">
            {START.map(({ id, icon }) => {
              const c = commands.get(id);
              if (!c) return null;
              return (
                <li key={id}>
                  <button type="button" className="link-button start-list__item" onClick={() => void commands.run(id)}>
                    <Codicon name={icon} />
                    {c.title}
                  </button>
                  {c.keybinding ? <Keybinding binding={c.keybinding} /> : null}
                </li>
              );
            })}
          </ul>

          <h2>Workspaces</h2>
          <table className="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Status</th>
                <th>Created</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {list.map((ws) => {
                const isCurrent = ws.name === current?.name;
                return (
                  <tr key={ws.name} className={isCurrent ? 'is-current' : undefined}>
                    <td>
                      {ws.name} {ws.isDemo ? <span className="tag">demo</span> : null}
                    </td>
                    <td title={ws.statusDetail ?? undefined}>{isCurrent ? 'open in this window' : ws.status}</td>
                    <td>{formatDateTime(ws.createdAt)}</td>
                    <td className="table__actions">
                      {isCurrent ? (
                        <span className="muted">open</span>
                      ) : (
                        <button
                          type="button"
                          className="button button--small button--secondary"
                          disabled={ws.status !== 'ok' || opening !== null}
                          onClick={() => void workspaceStore.getState().open(ws.name)}
                        >
                          {opening === ws.name ? 'Opening…' : 'Switch'}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <button type="button" className="button button--secondary" onClick={() => workbenchStore.getState().requestCreateWorkspace()}>
            <Codicon name="new-folder" /> Create workspace…
          </button>
        </section>
      </div>
    </div>
  );
}
