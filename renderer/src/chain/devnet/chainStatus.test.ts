import { describe, expect, it } from 'vitest';
import type { ChainStatus } from '../../../../main/api/chainSchemas';
import { chainChangedUnder } from './chainStatus';

describe('chainChangedUnder', () => {
  const status = (over: Partial<ChainStatus>): ChainStatus => ({
    state: 'running',
    running: true,
    rpcUrl: 'http://127.0.0.1:8545',
    chainId: 31337,
    block: 10,
    contracts: {},
    currencySymbol: 'OPEN',
    blockTimeSeconds: 0,
    managedBy: 'child',
    pid: 1,
    restarts: 0,
    deployment: { id: 1, block: 1, deployedAt: '', reason: 'first start' },
    error: null,
    ...over,
  });
  it('is false when only the head moved on', () => {
    expect(chainChangedUnder(status({}), status({ block: 11 }))).toBe(false);
    expect(chainChangedUnder(null, status({}))).toBe(false);
  });
  it('is true after a revert, a redeploy, a restart or a stop', () => {
    expect(chainChangedUnder(status({}), status({ block: 4 }))).toBe(true);
    expect(chainChangedUnder(status({}), status({ deployment: { id: 2, block: 1, deployedAt: '', reason: 'reset' } }))).toBe(true);
    expect(chainChangedUnder(status({}), status({ pid: 2 }))).toBe(true);
    expect(chainChangedUnder(status({}), status({ running: false, state: 'stopped', block: null }))).toBe(true);
  });
});
