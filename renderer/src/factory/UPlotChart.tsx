import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useStore } from 'zustand';
import { themeStore } from '../workbench/theming/themeStore';

export interface ChartSeries {
  label: string;
  color: string;
  dash?: number[];
  /** Draw points only (eval loss: a few values far apart). */
  points?: boolean;
}

export interface UPlotChartProps {
  title: string;
  series: readonly ChartSeries[];
  /** Current data: x (steps) then one column per series. Read at each redraw, never copied. */
  data(): uPlot.AlignedData;
  /** Calls back when data changed; returns the unsubscribe. */
  subscribe(changed: () => void): () => void;
  format?(v: number): string;
  log?: boolean;
  testId?: string;
}

const cssVar = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';

/**
 * One uPlot chart. Updates are coalesced per animation frame: however many points arrive between
 * two frames, the chart redraws once, so a 10 points/s stream (or a burst after a reconnect)
 * costs at most one setData per frame and never queues work behind the frame.
 */
export function UPlotChart({ title, series, data, subscribe, format, log, testId }: UPlotChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const theme = useStore(themeStore, (t) => t.theme);
  const seriesKey = series.map((s) => `${s.label}:${s.color}`).join('|');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = cssVar('--fg-muted');
    const grid = cssVar('--border');
    const fmt = format ?? ((v: number) => compact(v));
    const opts: uPlot.Options = {
      width: Math.max(100, el.clientWidth),
      height: Math.max(80, el.clientHeight - 22),
      legend: { show: true, live: true },
      cursor: { drag: { x: true, y: false }, points: { size: 5 } },
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      axes: [
        // Steps are whole numbers: no 1.1, 1.2 ticks while a run has only its first points.
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 22, font: '10px sans-serif', incrs: STEP_INCREMENTS, values: (_u, vals) => vals.map((v) => (v === null ? '' : String(v))) },
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 46, font: '10px sans-serif', values: (_u, vals) => vals.map((v) => (v === null ? '' : fmt(v))) },
      ],
      series: [
        { label: 'step' },
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          dash: s.dash,
          spanGaps: true,
          points: s.points ? { show: true, size: 5, fill: s.color } : { show: false },
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : fmt(v)),
        })),
      ],
    };
    const chart = new uPlot(opts, data(), el);
    let frame = 0;
    const off = subscribe(() => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        chart.setData(data());
        el.dataset.points = String(chart.data[0].length);
      });
    });
    el.dataset.points = String(chart.data[0].length);
    // How many curves it draws (a comparison overlays one per run): for tests and tooltips.
    el.dataset.series = String(chart.series.length - 1);
    const ro = new ResizeObserver(() => chart.setSize({ width: Math.max(100, el.clientWidth), height: Math.max(80, el.clientHeight - 22) }));
    ro.observe(el);
    return () => {
      off();
      cancelAnimationFrame(frame);
      ro.disconnect();
      chart.destroy();
    };
    // The chart is rebuilt when its series or the theme change; data flows through subscribe.
  }, [seriesKey, theme, log]);

  return (
    <figure className="fx-chart">
      <figcaption className="fx-chart__title">{title}</figcaption>
      <div className="fx-chart__plot" ref={box} data-testid={testId} />
    </figure>
  );
}

/** Tick spacings for the step axis: 1, 2, 5, 10, 20, 50, ... */
const STEP_INCREMENTS = Array.from({ length: 24 }, (_, i) => [1, 2, 5][i % 3]! * 10 ** Math.floor(i / 3));

/** 0.000213 -> 2.13e-4, 12345 -> 12.3k: short enough for an axis. */
export function compact(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a < 0.01) return v.toExponential(1);
  if (a < 10) return v.toFixed(a < 1 ? 3 : 2);
  if (a < 1000) return v.toFixed(1);
  if (a < 1e6) return `${(v / 1e3).toFixed(1)}k`;
  if (a < 1e9) return `${(v / 1e6).toFixed(1)}M`;
  return `${(v / 1e9).toFixed(2)}G`;
}
