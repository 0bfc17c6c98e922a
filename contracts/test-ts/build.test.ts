// The build step's output: one typed module per deployable contract, an index, and a skip when
// nothing changed (so `npm run build` stays fast).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildContracts } from '../tools/build.js';

const generated = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'generated');

describe('contracts/tools/build.ts', () => {
  it('emits ABI and bytecode modules for every protocol contract', async () => {
    const first = buildContracts();
    expect(first.contracts).toEqual([
      'AttributionLedger',
      'DatanetRegistry',
      'ModelRegistry',
      'OpenGovernor',
      'OpenTimelock',
      'ProtocolParams',
      'WrappedOpen',
    ]);
    const mod = await import('../generated/index.js');
    expect(mod.DatanetRegistryBytecode).toMatch(/^0x[0-9a-f]{100,}$/);
    const names = mod.AttributionLedgerAbi.map((item) => ('name' in item ? item.name : item.type));
    expect(names).toEqual(expect.arrayContaining(['claim', 'postBatch', 'AlreadyClaimed', 'RewardClaimed']));
    // Errors raised by a called contract are decodable from the merged ABI.
    expect(mod.protocolAbi.some((i) => i.type === 'error' && i.name === 'UnknownModel')).toBe(true);
    expect(readFileSync(path.join(generated, 'WrappedOpen.ts'), 'utf8')).toContain('as const;');
  }, 120_000);

  it('skips the compile when sources and settings did not change', () => {
    buildContracts();
    const again = buildContracts();
    expect(again.skipped).toBe(true);
  }, 120_000);
});
