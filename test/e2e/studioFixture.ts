import fs from 'node:fs';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import { startStudio, stopStudio, type StudioServer } from '../support/serveProcess';

export { startStudio, stopStudio, type StudioServer };

export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

/** Saves a full-window screenshot as test-results/screenshots/<name>.png. */
export async function snap(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`) });
}

/** Opens the workbench with the launch token and waits until it has talked to the core. */
export async function openStudio(page: Page, server: StudioServer): Promise<void> {
  await page.goto(server.url);
  await expect(page.getByTestId('status-connection')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('status-workspace')).toContainText('demo');
}

/** One server per worker: starting the core takes seconds, and tests leave little behind. */
export const test = base.extend<{ errors: string[] }, { studio: StudioServer }>({
  studio: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const { server, child } = await startStudio();
      await use(server);
      await stopStudio(child, server.home);
    },
    { scope: 'worker' },
  ],
  /** Console errors and failed requests of the page; tests assert it stays empty. */
  errors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await use(errors);
  },
});

export { expect };
