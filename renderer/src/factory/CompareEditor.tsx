import { useEffect, useState } from 'react';
import uPlot from 'uplot';
import { api } from '../api/client';
import { Codicon } from '../components/Codicon';
import { confirmStore } from '../workbench/confirmStore';
import { reportError } from '../workbench/toastStore';
import { bestRun, settingText } from './compareRuns';
import { openAdapter } from './factoryTabs';
import type { RunsCompare, RunSummary } from './factoryTypes';
import { fixed } from './runFormat';
import { UPlotChart } from './UPlotChart';

const RUN_COLOURS = ['#3794ff', '#f0a030', '#4ec9b0', '#d16969'];
const noChanges = () => () => undefined;
/** Runs of one pipeline share its name: the id's tail tells them apart. */
const label = (r: RunSummary) => `${r.name} ·${r.id.slice(-6)}`;

/**
 * 2 to 4 runs side by side (runs.compare): their loss curves overlaid, eval figures, the settings
 * that differ, the samples of each run's last evaluation per prompt; keep the best run's adapter.
 */
export function CompareEditor({ input }: { input: { ids: string[] } }) {
  const [data, setData] = useState<RunsCompare | null>(null);
  const [kept, setKept] = useState<string | null>(null);
  const key = input.ids.join(',');
  useEffect(() => {
    let live = true;
    api().call('runs.compare', { ids: key.split(',') })
      .then((d) => live && setData(d))
      .catch((err: unknown) => reportError(err, 'Comparing runs'));
    return () => {
      live = false;
    };
  }, [key]);
  if (!data) return <div className="pl-empty">Comparing {input.ids.length} runs…</div>;
  const { runs } = data;
  const best = bestRun(runs);

  const keep = async (winner: RunSummary) => {
    const others = runs.filter((r) => r.id !== winner.id && r.adapter).map((r) => r.adapter!);
    const ok = await confirmStore.getState().ask({
      title: `Keep ${winner.adapter ?? winner.name}`,
      message: others.length ? `Remove the other adapters from the registry (${others.join(', ')})? Their files stay in the artifact store and their runs keep their records.` : 'No other adapter to remove.',
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

  const curves = (which: 'loss' | 'evalLoss') => {
    const tables = data.curves.map((c) => (which === 'loss' ? [c.steps, c.loss] : [c.evalSteps, c.evalLoss]) as uPlot.AlignedData);
    const joined = uPlot.join(tables);
    return () => joined;
  };

  return (
    <div className="fx-run fx-compare" data-testid="compare-page">
      <header className="fx-run__header">
        <span className="fx-run__name">Comparing {runs.length} runs</span>
        {runs.map((r, i) => (
          <span key={r.id} className="fx-compare__key">
            <span className="fx-compare__swatch" style={{ background: RUN_COLOURS[i] }} /> {r.name} <code className="pl-muted">{r.id}</code>
          </span>
        ))}
      </header>
      <div className="fx-charts">
        <UPlotChart title="Train loss" testId="compare-chart-loss" series={runs.map((r, i) => ({ label: label(r), color: RUN_COLOURS[i]! }))} data={curves('loss')} subscribe={noChanges} />
        <UPlotChart title="Eval loss" testId="compare-chart-evalLoss" series={runs.map((r, i) => ({ label: label(r), color: RUN_COLOURS[i]!, points: true }))} data={curves('evalLoss')} subscribe={noChanges} />
      </div>
      <div className="fx-compare__grid">
        <section className="fx-pane">
          <h3 className="fx-pane__title">Eval figures</h3>
          <table className="fx-table" data-testid="compare-figures">
            <thead>
              <tr>
                <th>Run</th>
                <th>Status</th>
                <th>Steps</th>
                <th>Final loss</th>
                <th>Eval loss</th>
                <th>Tok/s</th>
                <th>Adapter</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} data-testid={`compare-row-${r.id}`} data-best={best?.id === r.id ? 'true' : 'false'}>
                  <td className={best?.id === r.id ? 'fx-best' : undefined}>
                    {label(r)}
                    {best?.id === r.id ? ' ★' : ''}
                  </td>
                  <td>{r.status}</td>
                  <td>{r.steps}</td>
                  <td>{fixed(r.finalLoss)}</td>
                  <td className={best?.id === r.id ? 'fx-best' : undefined}>{fixed(r.evalLoss)}</td>
                  <td>{r.tokensPerSecond === null ? '—' : Math.round(r.tokensPerSecond)}</td>
                  <td>{r.adapter ?? '—'}</td>
                  <td>
                    <button className="button" disabled={!r.adapter || kept !== null} onClick={() => void keep(r)} data-testid={`compare-keep-${r.id}`}>
                      <Codicon name={kept === r.id ? 'pass-filled' : 'check'} /> {kept === r.id ? 'Kept' : 'Keep'}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="fx-pane">
          <h3 className="fx-pane__title">Settings that differ</h3>
          <table className="fx-table" data-testid="compare-settings">
            <thead>
              <tr>
                <th>Setting</th>
                {runs.map((r) => (
                  <th key={r.id}>{label(r)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.differences.map((d) => (
                <tr key={d.path} className="fx-diff">
                  <td>{d.path}</td>
                  {d.values.map((v, i) => (
                    <td key={i}>{settingText(v)}</td>
                  ))}
                </tr>
              ))}
              {data.differences.length === 0 ? (
                <tr>
                  <td colSpan={runs.length + 1} className="pl-muted">
                    The same settings
                  </td>
                </tr>
              ) : null}
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
                <th key={r.id}>{label(r)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.samples.map((s) => (
              <tr key={s.prompt}>
                <td className="fx-sample__prompt">{s.prompt}</td>
                {s.texts.map((t, i) => (
                  <td key={i} className="fx-sample__text">
                    {t ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
