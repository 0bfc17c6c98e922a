import { useStore } from 'zustand';
import { commands } from '../workbench/commands/registry';
import { EmptyState } from '../components/EmptyState';
import { useListKeys } from '../components/useListKeys';
import { jobsStore } from './jobsStore';
import { JobRow } from './JobRow';

/** Every job of the workspace, running ones first, updated live by job.updated events. */
export function JobsView() {
  const jobs = useStore(jobsStore, (s) => s.jobs);
  const loaded = useStore(jobsStore, (s) => s.loaded);
  const onKeyDown = useListKeys();
  if (loaded && jobs.length === 0) {
    return (
      <EmptyState icon="server-process" title="No jobs in this workspace" compact>
        <p>Long work (imports, verification, training, indexing) runs as jobs and reports its progress here.</p>
        <button type="button" className="button button--secondary" onClick={() => void commands.run('artifacts.verify')}>
          Verify artifact store
        </button>
      </EmptyState>
    );
  }
  return (
    <ul className="jobs" aria-label="Jobs" onKeyDown={onKeyDown} data-testid="jobs-list">
      {jobs.map((job, i) => (
        <JobRow key={job.id} job={job} first={i === 0} />
      ))}
    </ul>
  );
}
