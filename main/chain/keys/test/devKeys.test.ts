import { describe, expect, it } from 'vitest';
import { mnemonicToAccount } from 'viem/accounts';
import { assertDevKeyAllowed, DEV_ACCOUNTS, DEV_MNEMONIC, devAccount, DevKeyRefusedError, isDevAccount } from '../devKeys.js';

describe('devKeys', () => {
  it('lists the accounts Anvil derives from its public mnemonic', () => {
    for (const a of DEV_ACCOUNTS) {
      expect(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: a.index }).address).toBe(a.address);
      expect(a.label).toMatch(/dev account/);
    }
    expect(isDevAccount(DEV_ACCOUNTS[0]!.address.toLowerCase())).toBe(true);
  });

  it('gives a dev account for the local devnet only', () => {
    const target = { chainId: 31337, devnetChainId: 31337, rpcUrl: 'http://127.0.0.1:8545' };
    expect(devAccount(0, target).address).toBe(DEV_ACCOUNTS[0]!.address);
    expect(() => devAccount(0, { ...target, chainId: 10 })).toThrow(DevKeyRefusedError);
    expect(() => assertDevKeyAllowed({ ...target, rpcUrl: 'https://mainnet.optimism.io' })).toThrow(/not loopback/);
    expect(() => devAccount(42, target)).toThrow(RangeError);
  });
});
