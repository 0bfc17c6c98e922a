import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import WebSocket from 'ws';
import { ApiClient } from '../main/api/apiClient';
import { createSocketTransport } from '../main/api/socketTransport';
import { buildTestModel } from '../main/engine/testModels/buildTestModel';
import { percentile } from './foundation/startBuiltServe';

const STEPS = Number(process.env.FACTORY_BENCH_STEPS ?? 400);
// FACTORY_BENCH_MODEL=default trains the default model (batch 4 x 64 tokens): on a quiet 2-core
// machine that streams about 10 points a second, the rate the issue asks about; the tiny test
// model (the default here) streams as fast as it trains, hundreds of points a second.
const DEFAULT_MODEL = process.env.FACTORY_BENCH_MODEL === 'default';

/**
 * The run page's live charts under a real metric stream: a tiny-model run on the built `studio
 * serve` streams `factory.metrics` while Chromium shows the run page; every animation frame's
 * interval is recorded in the page for the whole run. Reports the points per second the page
 * received, frame intervals (p50/p95/p99/max) and the frames that took over 2x a 60 Hz frame
 * (33 ms, a visibly dropped frame), plus long tasks (> 50 ms on the main thread).
 */
export async function factoryChartFrames(): Promise<unknown> {
  if (!fs.existsSync('dist/node/cli.mjs') || !fs.existsSync('dist/renderer/index.html')) throw new Error('Run `npm run build:node && npm run build:renderer` first.');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-bench-factory-'));
  const studio = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['bin/studio.mjs', ...args, '--json'], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`studio ${args.join(' ')}: ${r.stderr}`);
  };
  const model = DEFAULT_MODEL ? path.resolve('resources/default-model') : path.join(home, 'tiny-llama');
  if (!DEFAULT_MODEL) buildTestModel(model, { family: 'llama', seed: 3 });
  const file = path.join(home, 'tales.jsonl');
  fs.writeFileSync(file, Array.from({ length: 40 }, (_, i) => JSON.stringify({ text: `The keeper lit the lamp ${i} times before the storm.`, who: `0x${String((i % 4) + 1).padStart(40, '0')}` })).join('\n') + '\n');
  studio('datanet', 'create', 'tales');
  studio('datanet', 'import', 'tales', '--file', file, '--contributor-field', 'who');
  studio('datanet', 'review', 'tales', '--filter', 'status:pending', '--action', 'accept');
  studio('datanet', 'version', 'tales');

  const child = spawn(process.execPath, ['bin/studio.mjs', 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const url = JSON.parse(line).url as string;
  const u = new URL(url);
  const socket = new WebSocket(`ws://${u.host}/api`, { headers: { authorization: `Bearer ${u.searchParams.get('token')}` } });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const client = new ApiClient(createSocketTransport(socket as never));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('[data-testid="status-connection"][data-state="connected"]');
    const yaml = [
      'pipeline: 1',
      'name: frames',
      'datanet: { name: tales }',
      'split: { evalFraction: 0.1 }',
      `model: { base: ${JSON.stringify(model)} }`,
      'lora: { rank: 4 }',
      `train: { steps: ${STEPS}, lr: 0.001, batch: ${DEFAULT_MODEL ? 4 : 1}, seq: ${DEFAULT_MODEL ? 64 : 16}, checkpointEvery: ${STEPS} }`,
      'adapter: { name: frames }',
    ].join('\n');
    await page.keyboard.press('Control+Shift+3');
    const run = await client.call('factory.start', { yaml });
    await page.getByTestId(`run-item-${run.id}`).locator('button').click();
    await page.waitForSelector('[data-testid="run-chart-loss"]');
    // Record in the page: every frame's interval, long tasks, and the chart's point count over time.
    // (A string, not a function: tsx's transform would name the page's closures with a helper the page lacks.)
    await page.evaluate(`(() => {
      window.__frames = [];
      window.__long = [];
      window.__points = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => window.__long.push(e.duration))).observe({ type: 'longtask', buffered: false });
      let last = performance.now();
      const chart = document.querySelector('[data-testid="run-chart-loss"]');
      const tick = (t) => {
        window.__frames.push(t - last);
        last = t;
        window.__points.push([t, Number(chart.dataset.points ?? 0)]);
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })()`);
    await page.waitForSelector('[data-testid="run-page"][data-status="completed"]', { timeout: 600_000 });
    const r = (await page.evaluate('({ __frames: window.__frames, __long: window.__long, __points: window.__points })')) as { __frames: number[]; __long: number[]; __points: [number, number][] };
    // The streaming window: from the first frame that saw a point to the last point.
    const first = r.__points.findIndex(([, n]) => n > 0);
    const lastPoint = r.__points[r.__points.length - 1]![1];
    const end = r.__points.findIndex(([, n]) => n === lastPoint);
    const seconds = (r.__points[end]![0] - r.__points[Math.max(0, first)]![0]) / 1000;
    const frames = r.__frames.slice(Math.max(1, first), end + 1).sort((a, b) => a - b);
    return {
      steps: STEPS,
      pointsReceived: lastPoint,
      streamSeconds: Number(seconds.toFixed(2)),
      pointsPerSecond: Number((lastPoint / Math.max(seconds, 1e-9)).toFixed(1)),
      frames: frames.length,
      frameMs: { p50: +percentile(frames, 50).toFixed(2), p95: +percentile(frames, 95).toFixed(2), p99: +percentile(frames, 99).toFixed(2), max: +(frames[frames.length - 1] ?? NaN).toFixed(2) },
      framesOver33ms: frames.filter((f) => f > 33.4).length,
      longTasks: r.__long.length,
      longestTaskMs: r.__long.length ? Math.round(Math.max(...r.__long)) : 0,
    };
  } finally {
    socket.close();
    await browser.close();
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGTERM');
    await exited;
    fs.rmSync(home, { recursive: true, force: true });
  }
}
