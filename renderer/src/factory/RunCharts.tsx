import type uPlot from 'uplot';
import { type MetricName, metricsHub } from './metricSeries';
import { type ChartSeries, UPlotChart } from './UPlotChart';

interface ChartDef {
  title: string;
  metrics: readonly MetricName[];
  series: readonly ChartSeries[];
  format?(v: number): string;
}

// Fixed colours per metric, readable on both themes.
const CHARTS: readonly ChartDef[] = [
  {
    title: 'Loss',
    metrics: ['loss', 'evalLoss'],
    series: [
      { label: 'train', color: '#3794ff' },
      { label: 'eval', color: '#f0a030', points: true },
    ],
  },
  { title: 'Learning rate', metrics: ['lr'], series: [{ label: 'lr', color: '#b180d7' }] },
  { title: 'Gradient norm', metrics: ['gradNorm'], series: [{ label: 'norm', color: '#4ec9b0' }] },
  { title: 'Tokens/s', metrics: ['tokensPerSecond'], series: [{ label: 'tok/s', color: '#89d185' }] },
  { title: 'Memory', metrics: ['memoryMB'], series: [{ label: 'resident', color: '#d16969' }], format: (mb) => (mb >= 1024 ? `${(mb / 1024).toFixed(1)}G` : `${Math.round(mb)}M`) },
];

/** The run's live charts, each fed from metricsHub (the `factory.metrics` event stream). */
export function RunCharts({ run }: { run: string }) {
  return (
    <div className="fx-charts">
      {CHARTS.map((c) => (
        <UPlotChart
          key={c.title}
          title={c.title}
          series={c.series}
          format={c.format}
          testId={`run-chart-${c.metrics[0]}`}
          subscribe={(l) => metricsHub.subscribe(run, l)}
          data={() => {
            const cols = metricsHub.columns(run);
            return [cols.step, ...c.metrics.map((m) => cols.values[m])] as uPlot.AlignedData;
          }}
        />
      ))}
    </div>
  );
}
