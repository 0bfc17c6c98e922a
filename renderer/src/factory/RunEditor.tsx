import { useEffect } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { openAdapter } from './factoryTabs';
import { RunCharts } from './RunCharts';
import { fixed } from './runFormat';
import { RunProgress } from './RunProgress';
import { runsStore } from './runsStore';

/**
 * One run: status, progress and ETA with cancel/resume; live charts; the checkpoints with their
 * eval figures; the sample generations at each evaluation; the log.
 */
export function RunEditor({ input }: { input: { id: string } }) {
  const detail = useStore(runsStore, (s) => s.details[input.id]);
  const summary = useStore(runsStore, (s) => s.runs.find((r) => r.id === input.id));
  useEffect(() => {
    void runsStore.getState().open(input.id);
  }, [input.id]);
  const run = summary ?? detail;
  if (!run) return <div className="pl-empty">Loading run {input.id}…</div>;
  const active = run.status === 'running' || run.status === 'queued';
  const steps = [...new Set((detail?.samples ?? []).map((s) => s.step))].sort((a, b) => b - a);
  return (
    <div className="fx-run" data-testid="run-page" data-status={run.status}>
      <header className="fx-run__header">
        <span className="fx-run__name">{run.name}</span>
        <span className={`fx-status fx-status--${run.status}`} data-testid="run-status">
          {run.status}
        </span>
        <RunProgress run={run} />
        <span className="pl-muted">
          loss {fixed(run.finalLoss)} · eval {fixed(run.evalLoss)}
        </span>
        <span className="spacer" />
        {run.adapter ? (
          <button className="button" onClick={() => openAdapter(run.adapter!)} data-testid="run-open-adapter">
            <Codicon name="package" /> {run.adapter}
          </button>
        ) : null}
        <button className="button" disabled={!active} onClick={() => void runsStore.getState().cancel(run.id)} data-testid="run-cancel">
          <Codicon name="debug-stop" /> Cancel
        </button>
        <button className="button" disabled={active || run.status === 'succeeded'} onClick={() => void runsStore.getState().resume(run.id)} data-testid="run-resume">
          <Codicon name="debug-continue" /> Resume
        </button>
      </header>
      {run.error ? <div className="pl-file-errors">{run.error}</div> : null}
      <RunCharts run={run.id} />
      <div className="fx-run__panes">
        <section className="fx-pane">
          <h3 className="fx-pane__title">Checkpoints</h3>
          <table className="fx-table" data-testid="run-checkpoints">
            <thead>
              <tr>
                <th>Step</th>
                <th>Eval loss</th>
                <th>Perplexity</th>
              </tr>
            </thead>
            <tbody>
              {(detail?.checkpoints ?? []).map((c) => (
                <tr key={c.step}>
                  <td>{c.step}</td>
                  <td>{fixed(c.evalLoss)}</td>
                  <td>{fixed(c.evalPerplexity, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="fx-pane">
          <h3 className="fx-pane__title">Samples</h3>
          <div className="fx-samples" data-testid="run-samples">
            {steps.map((step) => (
              <div key={step} className="fx-samples__step">
                <div className="fx-samples__at">step {step}</div>
                {detail!.samples
                  .filter((s) => s.step === step)
                  .map((s, i) => (
                    <div key={i} className="fx-sample">
                      <span className="fx-sample__prompt">{s.prompt}</span>
                      <span className="fx-sample__text">{s.text}</span>
                    </div>
                  ))}
              </div>
            ))}
          </div>
        </section>
        <section className="fx-pane">
          <h3 className="fx-pane__title">Log</h3>
          <pre className="fx-log" data-testid="run-log">{(detail?.logs ?? []).join('\n')}</pre>
        </section>
      </div>
    </div>
  );
}
