import { useEffect, useMemo, useState } from 'react';
import uPlot from 'uplot';
import { useStore } from 'zustand';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import { confirmStore } from '../workbench/confirmStore';
import { reportError } from '../workbench/toastStore';
import { bestRun, settingsTable } from './compareRuns';
import { openAdapter } from './factoryTabs';
import type { RunDetail } from './factoryTypes';
import { type MetricName, metricsHub } from './metricSeries';
import { fixed } from './runFormat';
import { runsStore } from './runsStore';
import { UPlotChart } from './UPlotChart';

const RUN_COLOURS = ['#3794ff', '#f0a030', '#4ec9b0', '#d16969'];

/**
 * 2 to 4 runs side by side: their curves overlaid, the settings that differ, eval figures, the
 * samples from each run's last evaluation per prompt; keep the best run's adapter.
 */
export function CompareEditor({ input }: { input: { ids: string[] } }) {
  const details = useStore(runsStore, (s) => s.details);
  useEffect(() => {
    for (const id of input.ids) void runsStore.getState().open(id);
  }, [input.ids]);
  const runs = input.ids.map((id) => details[id]).filter((r): r is RunDetail => r !== undefined);
  const [showSame, setShowSame] = useState(false);
  const best = bestRun(runs);
  const [kept, setKept] = useState<string | null>(null);
  const table = useMemo(() => settingsTable(runs), [runs]);
  if (runs.length < input.ids.length) return <div className="pl-empty">Loading {input.ids.length} runs…</div>;

  const prompts = [...new Set(runs.flatMap((r) => r.samples.map((s) => s.prompt)))];
  const lastSample = (r: RunDetail, prompt: string) => {
    const at = r.samples.filter((s) => s.prompt === prompt);
    return at.length ? at.reduce((a, b) => (b.step > a.step ? b : a)) : undefined;
  };

  const keep = async (winner: RunDetail) => {
    const others = runs.filter((r) => r.id !== winner.id && r.adapter).map((r) => r.adapter!);
    const ok = await confirmStore.getState().ask({
      title: `Keep ${winner.adapter ?? winner.name}`,
      message: others.length ? `Remove the other adapters from the registry (${others.join(', ')})? Their files stay in the artifact store.` : 'No other adapter to remove.',
      confirmLabel: others.length ? `Keep and remove ${others.length}` : 'Keep',
      danger: others.length > 0,
    });
    if (!ok) return;
    try {
      for (const name of others) await api().call('adapters.remove', { name });
      setKept(winner.id);
      if (winner.adapter) openAdapter(winner.adapter);
    } catch (err) {
      reportError(err, 'Removing the other adapters');
    }
  };

  return (
    <div className="fx-run fx-compare" data-testid="compare-page">
      <header className="fx-run__header">
        <span className="fx-run__name">Comparing {runs.length} runs</span>
        {runs.map((r, i) => (
          <span key={r.id} className="fx-compare__key">
            <span className="fx-compare__swatch" style={{ background: RUN_COLOURS[i] }} /> {r.name}
          </span>
        ))}
      </header>
      <div className="fx-charts">
        <OverlayChart runs={runs} metric="loss" title="Train loss" />
        <OverlayChart runs={runs} metric="evalLoss" title="Eval loss" points />
        <OverlayChart runs={runs} metric="lr" title="Learning rate" />
      </div>
      <div className="fx-compare__grid">
        <section className="fx-pane">
          <h3 className="fx-pane__title">Eval figures</h3>
          <table className="fx-table" data-testid="compare-figures">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th>Final loss</th>
                <th>Eval loss</th>
                <th>Perplexity</th>
                <th>Adapter</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => {
                const ppl = r.checkpoints.length ? r.checkpoints[r.checkpoints.length - 1]!.evalPerplexity : null;
                return (
                  <tr key={r.id} data-testid={`compare-row-${r.id}`}>
                    <td className={best?.id === r.id ? 'fx-best' : undefined}>
                      {r.name}
                      {best?.id === r.id ? ' ★' : ''}
                    </td>
                    <td>{r.status}</td>
                    <td>{fixed(r.finalLoss)}</td>
                    <td className={best?.id === r.id ? 'fx-best' : undefined}>{fixed(r.evalLoss)}</td>
                    <td>{fixed(ppl, 2)}</td>
                    <td>{r.adapter ?? '—'}</td>
                    <td>
                      <button className="button" disabled={!r.adapter || kept !== null} onClick={() => void keep(r)} data-testid={`compare-keep-${r.id}`}>
                        <Codicon name={kept === r.id ? 'pass-filled' : 'check'} /> {kept === r.id ? 'Kept' : 'Keep'}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
        <section className="fx-pane">
          <h3 className="fx-pane__title">
            Settings{' '}
            <label className="pl-muted">
              <input type="checkbox" checked={showSame} onChange={(e) => setShowSame(e.target.checked)} /> show equal
            </label>
          </h3>
          <table className="fx-table" data-testid="compare-settings">
            <thead>
              <tr>
                <th>Setting</th>
                {runs.map((r) => (
                  <th key={r.id}>{r.name}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table
                .filter((row) => showSame || !row.same)
                .map((row) => (
                  <tr key={row.key} className={row.same ? undefined : 'fx-diff'}>
                    <td>{row.key}</td>
                    {row.values.map((v, i) => (
                      <td key={i}>{v ?? '—'}</td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </section>
      </div>
      <section className="fx-pane fx-compare__samples">
        <h3 className="fx-pane__title">Samples at the last evaluation</h3>
        <table className="fx-table fx-table--text" data-testid="compare-samples">
          <thead>
            <tr>
              <th>Prompt</th>
              {runs.map((r) => (
                <th key={r.id}>{r.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {prompts.map((p) => (
              <tr key={p}>
                <td className="fx-sample__prompt">{p}</td>
                {runs.map((r) => {
                  const s = lastSample(r, p);
                  return (
                    <td key={r.id} className="fx-sample__text" title={s ? `step ${s.step}` : undefined}>
                      {s?.text ?? '—'}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

/** One metric of every run on shared steps (uPlot.join aligns runs logged at different steps). */
function OverlayChart({ runs, metric, title, points }: { runs: RunDetail[]; metric: MetricName; title: string; points?: boolean }) {
  const ids = runs.map((r) => r.id);
  return (
    <UPlotChart
      title={title}
      testId={`compare-chart-${metric}`}
      series={runs.map((r, i) => ({ label: r.name, color: RUN_COLOURS[i % RUN_COLOURS.length]!, points }))}
      subscribe={(l) => {
        const offs = ids.map((id) => metricsHub.subscribe(id, l));
        return () => offs.forEach((off) => off());
      }}
      data={() =>
        uPlot.join(
          ids.map((id) => {
            const c = metricsHub.columns(id);
            return [c.step, c.values[metric]] as uPlot.AlignedData;
          }),
        )
      }
    />
  );
}
