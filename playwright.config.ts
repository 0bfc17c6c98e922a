import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests drive the browser build against a real `studio serve` (see
 * test/e2e/studioFixture.ts). Chromium is Debian's (`apt-get install chromium`): Playwright's
 * own browsers cannot be downloaded here. One worker: the machine has two cores.
 */
// Each fixture's `studio serve` starts on a fresh home; building the demo datanet there would add a
// job and artifacts the specs count. Specs that want it start serve with STUDIO_DEMO_CONTENT unset.
process.env.STUDIO_DEMO_CONTENT ??= 'off';

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/playwright',
  globalSetup: './test/e2e/globalSetup.ts',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    // The workbench follows the OS theme until one is chosen; start every test from dark.
    colorScheme: 'dark',
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
