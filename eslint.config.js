// One lint setup for the whole tree. Besides the usual rules it holds the architecture's
// boundaries (see docs/ARCHITECTURE.md): where code runs decides what it may import.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'worker_threads', 'http', 'net', 'crypto'];

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', 'native/build/**', 'contracts/generated/**', 'contracts/out/**', 'contracts/cache/**', 'test-results/**', 'playwright-report/**', 'bench/out/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The renderer runs sandboxed in a browser: no Node, no Electron, no core code. It reaches
    // the core only through the API contract (main/api), which is plain TypeScript.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'better-sqlite3', 'ws'].map((name) => ({ name, message: 'The renderer runs in a browser sandbox.' })),
          patterns: [
            { group: nodeBuiltins, message: 'The renderer runs in a browser sandbox: no Node modules.' },
            { group: ['**/main/*', '!**/main/api'], message: 'The renderer may import only the API contract (main/api).' },
          ],
        },
      ],
    },
  },
  {
    // The contract is shared by every runtime: plain TypeScript and zod only.
    files: ['main/api/**/*.ts'],
    ignores: ['main/api/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'main/api is shared with the renderer: no Node modules.' },
            { group: ['../*', '!../api'], message: 'main/api imports nothing from the core.' },
          ],
          paths: [{ name: 'electron', message: 'main/api is shared with the renderer.' }],
        },
      ],
    },
  },
  {
    // The core runs under plain Node (CLI, serve mode, tests): Electron only in main/electron.
    files: ['main/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'Only main/electron may import Electron; the core runs under plain Node.' }], patterns: [{ group: ['**/renderer/**'], message: 'The core never imports renderer code.' }] }],
    },
  },
);
