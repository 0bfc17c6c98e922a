import { useEffect } from 'react';
import { useStore } from 'zustand';
import { Codicon } from '../components/Codicon';
import { logsStore } from '../workbench/logs/logsStore';
import { openAdapter } from './factoryTabs';
import { RunCharts } from './RunCharts';
import { fixed } from './runFormat';
import { RunProgress } from './RunProgress';
import { runsStore } from './runsStore';

const RESUMABLE = new Set(['failed', 'cancelled', 'interrupted']);

/**
 * One run: status, progress and ETA with cancel/resume; live charts; the evaluations (eval loss,
 * perplexity, checkpoint); the sample generations at each evaluation; the run's job log.
 */
export function RunEditor({ input }: { input: { id: string } }) {
  const detail = useStore(runsStore, (s) => s.details[input.id]);
  const summary = useStore(runsStore, (s) => s.runs.find((r) => r.id === input.id));
  const streamed = useStore(runsStore, (s) => s.latest[input.id]);
  const logs = useStore(logsStore, (s) => s.entries);
  useEffect(() => {
    void runsStore.getState().open(input.id);
  }, [input.id]);
  const run = summary ?? detail;
  if (!run) return <div className="pl-empty">Loading run {input.id}…</div>;
  const active = run.status === 'running' || run.status === 'queued';
  const all = detail?.evaluations ?? [];
  // A checkpoint is written more often than the run evaluates; the table lists the evaluations.
  const evaluations = all.filter((e) => e.evalLoss !== null || e.samples.length > 0).sort((a, b) => b.step - a.step);
  const checkpoints = all.filter((e) => e.checkpoint).map((e) => e.step);
  // While it trains the summary has no final figures yet: the header shows the latest step's.
  const latest = streamed ?? detail?.metrics.at(-1);
  const latestEval = [...all].reverse().find((e) => e.evalLoss !== null);
  const tokensPerSecond = run.tokensPerSecond ?? latest?.tokensPerSecond;
  const jobLog = run.jobId ? logs.filter((l) => l.jobId === run.jobId) : [];
  return (
    <div className="fx-run" data-testid="run-page" data-status={run.status}>
      <header className="fx-run__header">
        <span className="fx-run__name">{run.name}</span>
        <span className={`fx-status fx-status--${run.status}`} data-testid="run-status">
          {run.status}
        </span>
        <RunProgress run={run} />
        <span className="pl-muted">
          loss <b data-testid="run-final-loss">{fixed(run.finalLoss ?? latest?.loss)}</b> · eval {fixed(run.evalLoss ?? latestEval?.evalLoss)} · {tokensPerSecond === undefined ? '—' : Math.round(tokensPerSecond)} tok/s
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
        <button className="button" disabled={!RESUMABLE.has(run.status)} onClick={() => void runsStore.getState().resume(run.id)} data-testid="run-resume">
          <Codicon name="debug-continue" /> Resume
        </button>
      </header>
      {run.reason ? <div className="pl-file-errors" data-testid="run-reason">{run.reason}</div> : null}
      <div className="fx-run__meta">
        <span>
          datanet <code>{run.datanet.name}</code> v{run.datanet.version} <code title={run.datanet.merkleRoot}>{run.datanet.merkleRoot.slice(0, 10)}…</code>
        </span>
        <span>
          model <code title={run.model.dir}>{run.model.dir.split('/').pop()}</code> <code title={run.model.digest}>{run.model.digest.slice(0, 10)}…</code>
        </span>
        <span>
          config <code title={run.configHash}>{run.configHash.slice(0, 10)}…</code>
        </span>
        <span>
          run <code>{run.id}</code>
        </span>
      </div>
      <RunCharts run={run.id} />
      <div className="fx-run__panes">
        <section className="fx-pane">
          <h3 className="fx-pane__title" title={checkpoints.length ? `Checkpoints at steps ${checkpoints.join(', ')}` : undefined}>
            Evaluations · {checkpoints.length} checkpoint{checkpoints.length === 1 ? '' : 's'}
            {checkpoints.length ? `, last at ${checkpoints[checkpoints.length - 1]}` : ''}
          </h3>
          <table className="fx-table" data-testid="run-checkpoints">
            <thead>
              <tr>
                <th>Step</th>
                <th>Eval loss</th>
                <th>Perplexity</th>
                <th>Checkpoint</th>
              </tr>
            </thead>
            <tbody>
              {evaluations.map((e) => (
                <tr key={e.step}>
                  <td>{e.step}</td>
                  <td>{fixed(e.evalLoss)}</td>
                  <td>{fixed(e.perplexity, 2)}</td>
                  <td>{e.checkpoint ? <Codicon name="save" /> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="fx-pane">
          <h3 className="fx-pane__title">Samples</h3>
          <div className="fx-samples" data-testid="run-samples">
            {evaluations
              .filter((e) => e.samples.length > 0)
              .map((e) => (
                <div key={e.step} className="fx-samples__step">
                  <div className="fx-samples__at">step {e.step}</div>
                  {e.samples.map((s, i) => (
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
          <pre className="fx-log" data-testid="run-log">
            {jobLog.map((l) => `${l.time.slice(11, 19)} ${l.level.padEnd(5)} ${l.message}`).join('\n')}
          </pre>
        </section>
      </div>
    </div>
  );
}
