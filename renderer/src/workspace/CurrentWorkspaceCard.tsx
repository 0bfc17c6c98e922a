import { useStore } from 'zustand';
import { openWelcome } from './workspaceTabs';
import { SectionHeader } from '../components/SectionHeader';
import { formatBytes, plural } from '../base/format';
import { workspaceStore } from './workspaceStore';

/** The open workspace in a few lines; the overview tab has the rest. */
export function CurrentWorkspaceCard() {
  const current = useStore(workspaceStore, (s) => s.current);
  return (
    <section aria-label="Open workspace">
      <SectionHeader title="Open workspace" />
      {current ? (
        <div className="card">
          <div className="card__title">
            {current.name}
            {current.isDemo ? <span className="tag">demo</span> : null}
          </div>
          <div className="card__path" title={current.path}>
            {current.path}
          </div>
          <div className="card__facts">
            {plural(current.counts.artifacts, 'artifact')} · {formatBytes(current.artifactBytes)} · {plural(current.counts.jobs, 'job')}
          </div>
          <button type="button" className="button button--secondary" onClick={openWelcome}>
            Open overview
          </button>
        </div>
      ) : (
        <div className="card muted">No workspace is open.</div>
      )}
    </section>
  );
}
