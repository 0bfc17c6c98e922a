import type { RunSummary } from './factoryTypes';
import { duration, runProgress } from './runFormat';

/** The progress bar with step count and ETA, as the runs list and the run page show it. */
export function RunProgress({ run }: { run: RunSummary }) {
  const p = runProgress(run);
  return (
    <div className={`fx-progress fx-progress--${run.status}`} title={`${run.step} / ${run.steps} steps`}>
      <div className="fx-progress__bar">
        <div className="fx-progress__fill" style={{ width: `${(100 * p).toFixed(1)}%` }} />
      </div>
      <span className="fx-progress__text" data-testid={`run-progress-${run.id}`}>
        {run.step}/{run.steps}
        {run.status === 'running' && run.etaSeconds !== null ? ` · ETA ${duration(run.etaSeconds)}` : ''}
      </span>
    </div>
  );
}
