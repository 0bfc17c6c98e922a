// One lint setup for the whole tree. Besides the usual rules it holds the architecture's
// boundaries (see docs/ARCHITECTURE.md): where code runs decides what it may import.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Every Node core module, bare and `node:`-prefixed, from Node itself (a hand-written list went stale).
// Bare names are exact paths: as patterns, `url` or `events` would also match `./model/url`.
const nodeModulePaths = (message) => builtinModules.map((name) => ({ name, message }));
const nodeModulePattern = (message) => ({ group: ['node:*'], message });

// main/api modules that import no zod: the renderer may import values from these only. Any other
// main/api module is schema code, which the renderer takes types from (`import type`) and never
// bundles (bench/foundation/bundleSize.ts fails when zod is in the bundle).
const schemaFreeApiModules = ['apiClient', 'socketTransport', 'menuCommands', 'constants', 'checkAddress', 'redactSecrets'];

const coreImportRules = {
  paths: [{ name: 'electron', message: 'Only main/electron may import Electron; the core runs under plain Node.' }],
  patterns: [{ group: ['**/renderer/**'], message: 'The core never imports renderer code.' }],
};

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
    // the core only through the API contract (main/api), which is plain TypeScript. The
    // typescript-eslint rule is used because it can allow `import type` of schema modules.
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/vite.config.ts'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...['electron', 'better-sqlite3', 'ws'].map((name) => ({ name, message: 'The renderer runs in a browser sandbox.' })),
            ...nodeModulePaths('The renderer runs in a browser sandbox: no Node modules.'),
            { name: 'zod', allowTypeImports: true, message: 'Schema code stays out of the renderer bundle: types only.' },
          ],
          patterns: [
            nodeModulePattern('The renderer runs in a browser sandbox: no Node modules.'),
            { group: ['**/main/*', '!**/main/api'], message: 'The renderer may import only the API contract (main/api).' },
            {
              group: ['**/main/api/*', ...schemaFreeApiModules.map((m) => `!**/main/api/${m}`)],
              allowTypeImports: true,
              message: 'Schema modules (zod) stay out of the renderer bundle: use `import type`, or put a shared value in main/api/constants.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Renderer unit tests run under Node, not in the bundle: they may check against the schemas.
    files: ['renderer/**/*.test.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeModulePaths('Renderer tests run the renderer code as the browser would: no Node modules.'),
          patterns: [
            nodeModulePattern('Renderer tests run the renderer code as the browser would: no Node modules.'),
            { group: ['**/main/*', '!**/main/api'], message: 'The renderer may import only the API contract (main/api).' },
          ],
        },
      ],
    },
  },
  {
    // The core runs under plain Node (CLI, serve mode, tests): Electron only in main/electron.
    files: ['main/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    ignores: ['main/electron/**'],
    rules: {
      'no-restricted-imports': ['error', coreImportRules],
    },
  },
  {
    // The contract is shared by every runtime: plain TypeScript and zod only. This block comes
    // after the main/** one on purpose: in a flat config the later block's options replace the
    // earlier ones for the same rule, so it repeats the core's restrictions and adds its own.
    files: ['main/api/**/*.ts'],
    ignores: ['main/api/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...coreImportRules.paths, ...nodeModulePaths('main/api is shared with the renderer: no Node modules.')],
          patterns: [
            ...coreImportRules.patterns,
            nodeModulePattern('main/api is shared with the renderer: no Node modules.'),
            { regex: '^(?!\\.|zod(/|$)|@noble/hashes(/|$))', message: 'main/api is shared with every runtime: zod (schemas) and @noble/hashes (keccak for the EIP-55 rule) are its only packages.' },
            { regex: '^\\.\\./', message: 'main/api imports nothing from the core.' },
          ],
        },
      ],
    },
  },
);
