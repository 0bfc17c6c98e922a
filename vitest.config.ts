import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node. End-to-end tests (test/e2e) are Playwright's.
export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'native/test/**/*.test.ts', 'contracts/test-ts/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'test/architecture/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Fresh homes would build the demo datanet on every `studio serve` first start (a job, and
    // artifacts, that tests counting them do not expect); its own tests turn it back on.
    env: { STUDIO_DEMO_CONTENT: 'off' },
  },
});
