import { useState } from 'react';
import { useStore } from 'zustand';
import { openComparison, openRun } from './factoryTabs';
import { RunProgress } from './RunProgress';
import { runsStore } from './runsStore';

const MAX_COMPARED = 4;

/** The run queue, newest first: status, progress with ETA; tick 2 to 4 runs to compare them. */
export function RunsList() {
  const { runs, loaded } = useStore(runsStore);
  const [picked, setPicked] = useState<string[]>([]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : p.length < MAX_COMPARED ? [...p, id] : p));
  return (
    <>
      <div className="fx-runs__head">
        <h3 className="pl-side__heading">Runs</h3>
        <button className="button" disabled={picked.length < 2} onClick={() => openComparison(picked)} data-testid="runs-compare">
          Compare {picked.length >= 2 ? picked.length : ''}
        </button>
      </div>
      {loaded && runs.length === 0 ? <p className="pl-muted">No runs yet: start one from a pipeline.</p> : null}
      <ul className="fx-runs" aria-label="Runs" data-testid="runs-list">
        {runs.map((r) => (
          <li key={r.id} className="fx-runs__item" data-testid={`run-item-${r.id}`} data-status={r.status}>
            <input type="checkbox" checked={picked.includes(r.id)} onChange={() => toggle(r.id)} aria-label={`Compare ${r.name}`} data-testid={`run-pick-${r.id}`} />
            <button className="fx-runs__open" onClick={() => openRun(r.id, r.name)} title={r.reason ?? r.id}>
              <span className="fx-runs__name">
                {r.name} <span className="pl-muted">·{r.id.slice(-6)}</span>
              </span>
              <span className={`fx-status fx-status--${r.status}`}>{r.status}</span>
              <RunProgress run={r} />
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
