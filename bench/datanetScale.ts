// Benchmark (not a test): a datanet at a million records, after import. Registered as
// 'datanet-scale' (`npm run -s bench datanet-scale`). Measures, on one workspace:
//   - every listing the record table asks for: full-text `search:` and each signal filter
//     (duplicate, near-duplicate, pii, quality, status, contributor), first page and total, deep
//     pages, and a sort by each signal column;
//   - the curator's bulk actions over those filters, and `datanets.stats`;
//   - the version freeze (Merkle root, JSONL and Parquet) of every accepted record, peak RSS;
//   - frame times in Chromium (Debian chromium) while the record table of the built `studio serve`
//     is scrolled through the whole datanet (as factoryChartFrames.ts: every animation frame's
//     interval, recorded in the page).
// Each figure carries this process's CPU time beside the wall time (the box is shared).
//
// The datanet is NOT built by the import (a million records through it takes too long on a
// loaded 2-core box): bench/datanetScale/buildScaleFixture.ts writes the rows straight into the
// workspace schema with the import's own signal code, and test/integration/datanetScaleFixture
// .test.ts checks that it stores what a real import stores. The fixture is built once per size
// and kept (DATANET_SCALE_HOME, default $TMPDIR/studio-bench-datanet-scale-N); a later run reuses it.
//
// Environment: DATANET_SCALE_RECORDS (default 1,000,000), DATANET_SCALE_HOME, DATANET_SCALE_PARTS
// (comma list of fixture,queries,review,freeze,frames; default all).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { callCore } from '../main/cli/callCore';
import { StudioCore } from '../main/core/studioCore';
import { buildScaleFixture } from './datanetScale/buildScaleFixture';
import { scaleContributor, scaleRecords } from './datanetScale/scaleRecords';
import { percentile } from './foundation/startBuiltServe';

const NAME = 'scale';

const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

/** Wall and CPU ms of fn: the first (cold) run apart, then the median of `runs` more. For a
 * listing the first run also counts its total; the others find it kept (listRecords.ts). */
async function timed<T>(fn: () => Promise<T>, runs = 3): Promise<{ coldMs: number; coldCpuMs: number; medianMs: number; medianCpuMs: number; result: T }> {
  const wall: number[] = [];
  const cpu: number[] = [];
  let result: T | undefined;
  for (let i = 0; i <= runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = await fn();
    wall.push(performance.now() - t0);
    cpu.push(cpuMs(process.cpuUsage(c0)));
  }
  const mid = (xs: number[]) => xs.slice(1).sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  return { coldMs: +wall[0]!.toFixed(1), coldCpuMs: +cpu[0]!.toFixed(1), medianMs: +mid(wall).toFixed(1), medianCpuMs: +mid(cpu).toFixed(1), result: result! };
}

/** Peak RSS of this process, sampled every 50 ms while fn runs. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ value: T; peakRssMiB: number; seconds: number; cpuSeconds: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, peakRssMiB: Math.round(Math.max(peak, process.memoryUsage().rss) / 2 ** 20), seconds: +((performance.now() - t0) / 1000).toFixed(2), cpuSeconds: +(cpuMs(process.cpuUsage(c0)) / 1000).toFixed(2) };
  } finally {
    clearInterval(timer);
  }
}

export async function datanetScale(): Promise<unknown> {
  const n = Number(process.env.DATANET_SCALE_RECORDS ?? 1_000_000);
  const home = process.env.DATANET_SCALE_HOME ?? path.join(os.tmpdir(), `studio-bench-datanet-scale-${n}`);
  const parts = new Set((process.env.DATANET_SCALE_PARTS ?? 'fixture,queries,review,freeze,frames').split(','));
  const marker = path.join(home, 'bench-fixture.json');
  const out: Record<string, unknown> = { records: n, home, loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)) };
  const log = (m: string) => process.stderr.write(`[datanet-scale ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

  const core = StudioCore.open({ home, mode: 'embedded' });
  try {
    if (!fs.existsSync(marker)) {
      if (!parts.has('fixture')) throw new Error(`No fixture at ${home}: include "fixture" in DATANET_SCALE_PARTS.`);
      log(`building the fixture of ${n} records in ${home}`);
      const d = await callCore(core, 'datanets.create', { name: NAME });
      const built = await withPeakRss(async () =>
        buildScaleFixture(core.workspace.db, { id: d.id, name: d.name, threshold: d.nearDuplicateThreshold }, scaleRecords(n), path.join(core.workspace.layout.root, 'artifacts'), (k) => log(`fixture ${k}`)),
      );
      fs.writeFileSync(marker, JSON.stringify({ records: n, ...built }, null, 2));
    }
    out['fixture'] = JSON.parse(fs.readFileSync(marker, 'utf8'));
    out['databaseMiB'] = Math.round(fs.statSync(path.join(core.workspace.layout.root, 'studio.db')).size / 2 ** 20);
    const stats = await timed(() => callCore(core, 'datanets.stats', { datanet: NAME }), 1);
    out['stats'] = { coldMs: stats.coldMs, medianMs: stats.medianMs, medianCpuMs: stats.medianCpuMs, ...stats.result };
    log(`stats ${JSON.stringify(out['stats'])}`);

    if (parts.has('queries')) {
      // What the table asks for: pages of 200 (renderer/src/datanets/recordPages.ts).
      const page = (filter: string, o: { sort?: 'id' | 'length' | 'piiCount' | 'meanWordLength' | 'symbolRatio' | 'alphaRatio' | 'dupLineRatio' | 'topNgramRatio' | 'contributor'; descending?: boolean; offset?: number } = {}) =>
        timed(() => callCore(core, 'datanets.records', { datanet: NAME, filter, limit: 200, offset: o.offset ?? 0, sort: o.sort ?? 'id', descending: o.descending ?? false }));
      const q: Record<string, unknown> = {};
      const row = (r: Awaited<ReturnType<typeof page>>) => ({ coldMs: r.coldMs, coldCpuMs: r.coldCpuMs, medianMs: r.medianMs, medianCpuMs: r.medianCpuMs, total: r.result.total, rows: r.result.records.length });
      const filters: Record<string, string> = {
        all: 'all',
        searchCommon: 'search:economy',
        searchTwoWords: 'search:foreign policy',
        searchRare: `search:clerk${Math.min(n - 93, 777_707)}`,
        duplicate: 'duplicate',
        nearDuplicate: 'near-duplicate',
        pii: 'pii',
        piiCard: 'pii:card',
        quality: 'quality',
        qualityRepeatedNgrams: 'quality:repeated-ngrams',
        statusPending: 'status:pending',
        statusAccepted: 'status:accepted',
        statusExcluded: 'status:excluded',
        contributorLarge: scaleContributor(0),
        contributorSmall: scaleContributor(499),
        language: 'language:en',
      };
      for (const [k, f] of Object.entries(filters)) {
        q[k] = row(await page(f));
        log(`${k} ${JSON.stringify(q[k])}`);
      }
      for (const [k, f] of Object.entries({ allMiddle: 'all', piiLast: 'pii', qualityMiddle: 'quality' })) {
        const total = (q[k.replace(/Middle|Last/, '')] as { total: number }).total;
        const offset = Math.max(0, k.endsWith('Last') ? total - 200 : Math.floor(total / 2));
        q[k] = { offset, ...row(await page(f, { offset })) };
        log(`${k} ${JSON.stringify(q[k])}`);
      }
      const sorts: Record<string, unknown> = {};
      for (const sort of ['length', 'piiCount', 'meanWordLength', 'symbolRatio', 'alphaRatio', 'dupLineRatio', 'topNgramRatio', 'contributor'] as const) {
        sorts[sort] = row(await page('all', { sort, descending: true }));
        log(`sort ${sort} ${JSON.stringify(sorts[sort])}`);
      }
      sorts['qualityByLength'] = row(await page('quality', { sort: 'length' }));
      out['queries'] = q;
      out['sorts'] = sorts;
    }

    if (parts.has('review')) {
      // The curator's pass: each bulk action over a whole filter, once (they change state).
      const review: Record<string, unknown> = {};
      const act = async (k: string, filter: string, action: 'accept' | 'reject' | 'exclude', reason?: string) => {
        const r = await withPeakRss(() => callCore(core, 'datanets.review', { datanet: NAME, filter, action, ...(reason ? { reason } : {}) }));
        review[k] = { changed: r.value.changed, seconds: r.seconds, cpuSeconds: r.cpuSeconds };
        log(`review ${k} ${JSON.stringify(review[k])}`);
      };
      await act('excludeDuplicates', 'duplicate', 'exclude', 'exact duplicate');
      await act('excludeNearDuplicates', 'near-duplicate', 'exclude', 'near duplicate');
      await act('rejectPii', 'pii', 'reject', 'personal data');
      await act('excludeQuality', 'quality', 'exclude', 'quality heuristics');
      await act('acceptAll', 'all', 'accept');
      out['review'] = review;
    }

    if (parts.has('freeze')) {
      const v = await withPeakRss(() => callCore(core, 'datanets.createVersion', { datanet: NAME }));
      out['freeze'] = { version: v.value.version, records: v.value.records, merkleRoot: v.value.merkleRoot, seconds: v.seconds, cpuSeconds: v.cpuSeconds, peakRssMiB: v.peakRssMiB };
      log(`freeze ${JSON.stringify(out['freeze'])}`);
    }
  } finally {
    await core.close();
  }

  if (parts.has('frames')) out['frames'] = await scrollFrames(home, log);
  out['loadAverageAtEnd'] = os.loadavg().map((x) => +x.toFixed(2));
  return out;
}

/**
 * The record table of the built `studio serve` on this workspace, in Chromium: the datanet opened
 * on "All records", then scrolled as a curator does: a steady wheel-speed scroll (300 px a frame,
 * ~700 rows a second at 60 Hz) for 600 frames, then 60 jumps to random places (a scrollbar drag)
 * each held 10 frames. Every frame's interval is recorded in the page; also the main thread's busy
 * time per frame (task, script, layout, style: CPU of the page, not of the box), long tasks and how
 * many placeholder rows ("loading row …") were on screen when the scroll ended and 2 s later.
 */
async function scrollFrames(home: string, log: (m: string) => void): Promise<unknown> {
  if (!fs.existsSync('dist/node/cli.mjs') || !fs.existsSync('dist/renderer/index.html')) throw new Error('Run `npm run build:node && npm run build:renderer` first.');
  const child = spawn(process.execPath, ['bin/studio.mjs', 'serve', '--port', '0', '--json'], { env: { ...process.env, STUDIO_HOME: home, STUDIO_DEMO_CONTENT: 'off' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  const url = JSON.parse(line).url as string;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url);
    await page.waitForSelector('[data-testid="status-connection"][data-state="connected"]');
    await page.keyboard.press('Control+Shift+Digit2');
    const t0 = performance.now();
    await page.getByTestId('datanets-side-bar').getByRole('option', { name: new RegExp(NAME) }).click();
    // The view opens on a review filter: show every record.
    await page.getByLabel('Filter', { exact: true }).selectOption('all');
    await page.getByTestId('records-total').filter({ hasText: /^[1-9][\d,]* records$/ }).waitFor({ timeout: 300_000 });
    await page.locator('[data-testid="records-table"] [data-record-id]').first().waitFor({ timeout: 300_000 });
    const openMs = Math.round(performance.now() - t0);
    const totalText = await page.getByTestId('records-total').textContent();
    log(`table open in ${openMs} ms: ${totalText}`);
    // Main-thread busy time (CDP Performance metrics, seconds) over the scroll: on a shared box
    // frame intervals mostly measure the other tenants; the renderer's own work per frame does not.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = async () => Object.fromEntries(((await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] }).metrics.map((m) => [m.name, m.value]));
    const m0 = await metrics();
    // A string, not a function: tsx's transform would name the page's closures with a helper the page lacks.
    const r = (await page.evaluate(`new Promise((resolve) => {
      const el = document.querySelector('[data-testid="records-table"]');
      const frames = [];
      const long = [];
      new PerformanceObserver((l) => l.getEntries().forEach((e) => long.push(e.duration))).observe({ type: 'longtask', buffered: false });
      let seed = 7;
      const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const placeholders = () => el.querySelectorAll('.records-table__row.is-loading').length;
      let last = performance.now();
      let i = 0;
      const tick = (t) => {
        frames.push(t - last);
        last = t;
        i++;
        if (i <= 600) el.scrollTop += 300;
        else if (i <= 1200) { if ((i - 600) % 10 === 1) el.scrollTop = Math.floor(rand() * (el.scrollHeight - el.clientHeight)); }
        else {
          const atEnd = placeholders();
          setTimeout(() => resolve({ frames, long, placeholdersAtEnd: atEnd, placeholdersAfter2s: placeholders(), scrollHeight: el.scrollHeight, rowsInDom: el.querySelectorAll('[role=row]').length }), 2000);
          return;
        }
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    })`)) as { frames: number[]; long: number[]; placeholdersAtEnd: number; placeholdersAfter2s: number; scrollHeight: number; rowsInDom: number };
    const m1 = await metrics();
    const busyMs = (k: string) => +(((m1[k]! - m0[k]!) * 1000) / r.frames.length).toFixed(2);
    const mainThreadPerFrameMs = { task: busyMs('TaskDuration'), script: busyMs('ScriptDuration'), layout: busyMs('LayoutDuration'), style: busyMs('RecalcStyleDuration') };
    const stats = (xs: number[]) => {
      const s = xs.slice(1).sort((a, b) => a - b);
      return { frames: s.length, p50: +percentile(s, 50).toFixed(2), p95: +percentile(s, 95).toFixed(2), p99: +percentile(s, 99).toFixed(2), max: +(s[s.length - 1] ?? NaN).toFixed(2), over33ms: s.filter((f) => f > 33.4).length };
    };
    return {
      tableOpenMs: openMs,
      totalShown: totalText,
      steadyScroll: stats(r.frames.slice(0, 601)),
      jumps: stats(r.frames.slice(600)),
      mainThreadPerFrameMs,
      longTasks: r.long.length,
      longestTaskMs: r.long.length ? Math.round(Math.max(...r.long)) : 0,
      placeholdersAtEnd: r.placeholdersAtEnd,
      placeholdersAfter2s: r.placeholdersAfter2s,
      scrollHeightPx: r.scrollHeight,
      rowsInDom: r.rowsInDom,
    };
  } finally {
    await browser.close();
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGTERM');
    await exited;
  }
}
