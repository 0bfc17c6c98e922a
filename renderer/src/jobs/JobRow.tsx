import { useStore } from 'zustand';
import type { Job } from '../../../main/api/jobSchemas';
import { Codicon } from '../components/Codicon';
import { formatDateTime, formatDuration, formatProgress } from '../base/format';
import { isJobActive, jobStatusIcon } from './jobs';
import { jobsStore } from './jobsStore';
import { logsStore } from '../workbench/logs/logsStore';
import { workbenchStore } from '../workbench/workbenchStore';
import { IconButton } from '../components/IconButton';

function elapsed(job: Job): string {
  if (!job.startedAt) return '';
  const end = job.finishedAt ? Date.parse(job.finishedAt) : Date.now();
  return formatDuration(end - Date.parse(job.startedAt));
}

/** One job: status icon, title, progress bar, message or error, and Cancel while it runs. */
export function JobRow({ job, first }: { job: Job; first: boolean }) {
  const cancelling = useStore(jobsStore, (s) => s.cancelling.includes(job.id));
  const { icon, tone } = jobStatusIcon(job.status);
  const active = isJobActive(job);
  return (
    <li className={`job job--${job.status}`} data-list-item tabIndex={first ? 0 : -1} data-job-id={job.id} data-status={job.status}>
      <Codicon name={icon} spin={job.status === 'running'} className={`tone-${tone}`} title={job.status} />
      <div className="job__main">
        <div className="job__line">
          <span className="job__title">{job.title}</span>
          <span className="job__kind mono">{job.kind}</span>
          <span className="job__status">{job.status}</span>
          <span className="job__time muted" title={`Created ${formatDateTime(job.createdAt)}`}>
            {active ? elapsed(job) : job.finishedAt ? `${formatDateTime(job.finishedAt)} · ${elapsed(job)}` : formatDateTime(job.createdAt)}
          </span>
        </div>
        {active ? (
          <div className="job__progress">
            <div
              className={job.progress === null ? 'progress progress--indeterminate' : 'progress'}
              role="progressbar"
              aria-label={`${job.title} progress`}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={job.progress === null ? undefined : Math.round(job.progress * 100)}
            >
              <div className="progress__bar" style={{ width: job.progress === null ? undefined : `${job.progress * 100}%` }} />
            </div>
            <span className="job__percent">{formatProgress(job.progress)}</span>
          </div>
        ) : null}
        {job.error ? (
          <div className="job__error" role="alert">
            <span className="mono">{job.error.code}</span> {job.error.message}
          </div>
        ) : job.message ? (
          <div className="job__message muted">{job.message}</div>
        ) : null}
      </div>
      <IconButton
        icon="output"
        label={`Show the logs of ${job.title}`}
        onClick={() => {
          logsStore.getState().setJobFilter(job.id);
          workbenchStore.getState().showPanelView('logs');
        }}
      />
      {active ? (
        <button
          type="button"
          className="button button--small button--secondary"
          disabled={cancelling}
          onClick={() => void jobsStore.getState().cancel(job.id)}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      ) : null}
    </li>
  );
}
