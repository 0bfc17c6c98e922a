import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The folder boundaries of docs/ARCHITECTURE.md are held by eslint.config.js. Flat config is easy
 * to get wrong (a later block silently replaces an earlier block's rule options), so each rule is
 * proven here: a probe file that breaks it must fail lint, a probe that keeps it must pass. The
 * probes are linted as if they sat at the given path; nothing is written to the tree.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  const messages = result?.messages ?? [];
  // A probe path that the config ignores would pass silently: fail loudly instead.
  expect(messages.filter((m) => m.ruleId === null), `lint ran on ${filePath}`).toEqual([]);
  return messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

describe('lint boundaries', () => {
  it.each([
    ['main/api/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n", /no Node modules/],
    ['main/api/probe.ts', "import { EventEmitter } from 'events';\nexport const x = EventEmitter;\n", /no Node modules/],
    ['main/api/probe.ts', "import { StudioCore } from '../core/studioCore';\nexport const x = StudioCore;\n", /imports nothing from the core/],
    ['main/api/probe.ts', "import { createPublicClient } from 'viem';\nexport const x = createPublicClient;\n", /are its only packages/],
    ['main/api/probe.ts', "import { app } from 'electron';\nexport const x = app;\n", /Electron/],
    ['renderer/src/probe.ts', "import { StudioCore } from '../../main/core/studioCore';\nexport const x = StudioCore;\n", /only the API contract/],
    ['renderer/src/chain/probe.tsx', "import { StudioCore } from '../../../main/core/studioCore';\nexport const x = StudioCore;\n", /only the API contract/],
    ['renderer/src/probe.ts', "import { NetworkNameSchema } from '../../main/api/networkSchemas';\nexport const x = NetworkNameSchema;\n", /Schema modules/],
    ['renderer/src/probe.ts', "import { methods } from '../../main/api/contract';\nexport const x = methods;\n", /Schema modules/],
    ['renderer/src/probe.ts', "import { z } from 'zod';\nexport const x = z;\n", /Schema modules|zod/],
    ['renderer/src/probe.ts', "import { inspect } from 'util';\nexport const x = inspect;\n", /no Node modules/],
    ['renderer/src/probe.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n", /no Node modules/],
    ['main/core/probe.ts', "import { app } from 'electron';\nexport const x = app;\n", /Only main\/electron may import Electron/],
    ['main/chain/devnet/probe.ts', "import { app } from 'electron';\nexport const x = app;\n", /Only main\/electron may import Electron/],
    ['main/core/probe.ts', "import { App } from '../../renderer/src/App';\nexport const x = App;\n", /never imports renderer code/],
  ])('%s fails on %j', async (filePath, code, message) => {
    const found = await restrictedImports(filePath, code);
    expect(found.length, `${filePath} should fail lint`).toBeGreaterThan(0);
    expect(found.join('\n')).toMatch(message);
  });

  it.each([
    ['main/api/probe.ts', "import { z } from 'zod';\nimport { DEVNET_NETWORK } from './constants';\nexport const x = z.literal(DEVNET_NETWORK);\n"],
    ['renderer/src/probe.ts', "import type { Network } from '../../main/api/networkSchemas';\nimport { DEVNET_NETWORK } from '../../main/api/constants';\nexport const x = (n: Network) => n.name === DEVNET_NETWORK;\n"],
    ['renderer/src/probe.ts', "import { type MethodName } from '../../main/api/contract';\nimport { ApiClient } from '../../main/api/apiClient';\nexport const x = (m: MethodName) => [m, ApiClient];\n"],
    ['main/core/probe.ts', "import fs from 'node:fs';\nimport { DEVNET_NETWORK } from '../api/networkSchemas';\nexport const x = [fs, DEVNET_NETWORK];\n"],
    ['main/electron/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
  ])('%s passes: %j', async (filePath, code) => {
    expect(await restrictedImports(filePath, code)).toEqual([]);
  });
});
