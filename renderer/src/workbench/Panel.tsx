import { useStore } from 'zustand';
import { commands } from './commands/registry';
import { runningJobCount } from '../jobs/jobs';
import type { PanelView } from './layout';
import { jobsStore } from '../jobs/jobsStore';
import { workbenchStore } from './workbenchStore';
import { JobsView } from '../jobs/JobsView';
import { LogsView } from './logs/LogsView';
import { IconButton } from '../components/IconButton';

const VIEWS: { id: PanelView; title: string }[] = [
  { id: 'jobs', title: 'Jobs' },
  { id: 'logs', title: 'Logs' },
];

/** The bottom panel: Jobs and Logs. */
export function Panel() {
  const view = useStore(workbenchStore, (s) => s.layout.panelView);
  const running = useStore(jobsStore, (s) => runningJobCount(s.jobs));
  return (
    <section className="panel" aria-label="Panel">
      <div className="panel__header">
        <div className="panel__tabs" role="tablist" aria-label="Panel views">
          {VIEWS.map((v) => (
            <button
              key={v.id}
              type="button"
              role="tab"
              aria-selected={view === v.id}
              aria-controls={`panel-${v.id}`}
              id={`panel-tab-${v.id}`}
              className={view === v.id ? 'panel__tab is-active' : 'panel__tab'}
              onClick={() => workbenchStore.getState().showPanelView(v.id)}
              onKeyDown={(e) => {
                if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                  const other = VIEWS.find((x) => x.id !== v.id)!;
                  workbenchStore.getState().showPanelView(other.id);
                  document.getElementById(`panel-tab-${other.id}`)?.focus();
                }
              }}
            >
              {v.title}
              {v.id === 'jobs' && running > 0 ? <span className="badge badge--accent">{running}</span> : null}
            </button>
          ))}
        </div>
        <div className="panel__actions">
          {view === 'logs' ? <IconButton icon="clear-all" label="Clear Logs" onClick={() => void commands.run('logs.clear')} /> : null}
          {view === 'jobs' ? <IconButton icon="refresh" label="Refresh Jobs" onClick={() => void commands.run('jobs.refresh')} /> : null}
          <IconButton icon="close" label="Hide Panel" onClick={() => void commands.run('workbench.togglePanel')} />
        </div>
      </div>
      <div className="panel__body" role="tabpanel" id={`panel-${view}`} aria-labelledby={`panel-tab-${view}`}>
        {view === 'jobs' ? <JobsView /> : <LogsView />}
      </div>
    </section>
  );
}
