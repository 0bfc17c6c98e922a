import { chromium } from '@playwright/test';
import { startBuiltServe } from './startBuiltServe';

const RUNS = 5;

/**
 * Serve-mode cold start: from spawning `studio serve` on a fresh Studio home (first start, so the
 * demo workspace is created) to the server printing its URL, to the browser's first contentful
 * paint, to the workbench connected to the core. The browser is launched before the clock starts.
 */
export async function serveColdStart(): Promise<unknown> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const runs: { serverReadyMs: number; firstContentfulPaintMs: number; workbenchConnectedMs: number }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const serve = await startBuiltServe();
      try {
        const page = await browser.newPage();
        const navStart = performance.now();
        await page.goto(serve.url);
        await page.waitForSelector('[data-testid="status-connection"][data-state="connected"]', { timeout: 30_000 });
        const connectedAt = performance.now();
        const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN);
        // FCP is relative to the page's own navigation start; place it on our clock.
        runs.push({
          serverReadyMs: Math.round(serve.readyAt - serve.spawnedAt),
          firstContentfulPaintMs: Math.round(navStart - serve.spawnedAt + fcp),
          workbenchConnectedMs: Math.round(connectedAt - serve.spawnedAt),
        });
        await page.close();
      } finally {
        await serve.stop();
      }
    }
  } finally {
    await browser.close();
  }
  const median = (k: keyof (typeof runs)[number]) => [...runs.map((r) => r[k])].sort((a, b) => a - b)[Math.floor(runs.length / 2)];
  return {
    runs: runs.length,
    median: { serverReadyMs: median('serverReadyMs'), firstContentfulPaintMs: median('firstContentfulPaintMs'), workbenchConnectedMs: median('workbenchConnectedMs') },
    all: runs,
  };
}
