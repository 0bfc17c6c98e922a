import { useEffect, useState } from 'react';
import type { RunSummary } from './factoryTypes';
import { etaSeconds, metricsHub } from './metricSeries';
import { duration } from './runFormat';

/** 0..1 of the run's steps done. */
export function runProgress(r: Pick<RunSummary, 'step' | 'steps' | 'status' | 'progress'>): number {
  if (r.status === 'completed') return 1;
  if (r.progress !== null) return Math.min(1, Math.max(0, r.progress));
  return r.steps > 0 ? Math.min(1, r.step / r.steps) : 0;
}

/** The progress bar with step count and ETA (from the recent step times), as the list and the run page show it. */
export function RunProgress({ run }: { run: RunSummary }) {
  const [eta, setEta] = useState<number | null>(null);
  useEffect(() => {
    if (run.status !== 'running') return setEta(null);
    const update = () => setEta(etaSeconds(metricsHub.columns(run.id), run.steps));
    update();
    return metricsHub.subscribe(run.id, update);
  }, [run.id, run.status, run.steps]);
  const p = runProgress(run);
  return (
    <div className={`fx-progress fx-progress--${run.status}`} title={`${run.step} / ${run.steps} steps`}>
      <div className="fx-progress__bar">
        <div className="fx-progress__fill" style={{ width: `${(100 * p).toFixed(1)}%` }} />
      </div>
      <span className="fx-progress__text" data-testid={`run-progress-${run.id}`}>
        {run.step}/{run.steps}
        {eta !== null ? ` · ETA ${duration(eta)}` : ''}
      </span>
    </div>
  );
}
