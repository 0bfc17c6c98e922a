import { defineConfig } from 'vitest/config';

// Unit and integration tests run under plain Node. End-to-end tests (test/e2e) are Playwright's.
export default defineConfig({
  test: {
    include: ['main/**/*.test.ts', 'native/test/**/*.test.ts', 'contracts/test-ts/**/*.test.ts', 'test/integration/**/*.test.ts', 'test/security/**/*.test.ts', 'renderer/src/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
