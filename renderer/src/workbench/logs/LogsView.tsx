import { useEffect, useMemo, useRef } from 'react';
import { useStore } from 'zustand';
import { formatClock } from '../../base/format';
import { filterLogs, LOG_LEVELS, type LogLevel } from './logs';
import { jobsStore } from '../../jobs/jobsStore';
import { logsStore } from './logsStore';
import { Codicon } from '../../components/Codicon';

/** The core's log, live: a level filter, a text filter, and follow-the-tail scrolling. */
export function LogsView() {
  const { entries, minLevel, filterText, jobId } = useStore(logsStore);
  const shown = useMemo(() => filterLogs(entries, minLevel, filterText, jobId), [entries, minLevel, filterText, jobId]);
  const jobTitle = useStore(jobsStore, (s) => (jobId ? (s.jobs.find((j) => j.id === jobId)?.title ?? jobId) : null));
  const list = useRef<HTMLDivElement>(null);
  const follow = useRef(true);

  useEffect(() => {
    const el = list.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [shown]);

  return (
    <div className="logs">
      <div className="logs__toolbar">
        <label className="logs__field">
          Level
          <select
            className="select"
            value={minLevel}
            aria-label="Lowest log level shown"
            onChange={(e) => logsStore.getState().setMinLevel(e.target.value as LogLevel)}
          >
            {LOG_LEVELS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <input
          className="input input--small"
          placeholder="Filter (text or source)"
          aria-label="Filter logs"
          value={filterText}
          onChange={(e) => logsStore.getState().setFilterText(e.target.value)}
        />
        {jobTitle ? (
          <button
            type="button"
            className="chip"
            title="Show the logs of every job"
            aria-label={`Showing the logs of ${jobTitle}; show all`}
            onClick={() => logsStore.getState().setJobFilter(null)}
          >
            {jobTitle}
            <Codicon name="close" />
          </button>
        ) : null}
        <span className="muted logs__count">
          {shown.length} of {entries.length}
        </span>
      </div>
      <div
        className="logs__list mono"
        ref={list}
        tabIndex={0}
        role="log"
        aria-label="Log entries"
        data-testid="logs-list"
        onScroll={(e) => {
          const el = e.currentTarget;
          follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - 8;
        }}
      >
        {shown.length === 0 ? (
          <div className="muted logs__empty">{entries.length === 0 ? 'No log entries yet.' : 'No entries match the filter.'}</div>
        ) : (
          shown.map((e) => (
            <div key={e.seq} className={`log log--${e.level}`}>
              <span className="log__time">{formatClock(e.time)}</span>
              <span className="log__level">{e.level}</span>
              <span className="log__source">{e.source}</span>
              <span className="log__message">{e.message}</span>
            </div>
          ))
        )}
      </div>
    </div>
  );
}
