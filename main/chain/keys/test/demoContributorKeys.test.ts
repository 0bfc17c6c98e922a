import { describe, expect, it } from 'vitest';
import { mnemonicToAccount } from 'viem/accounts';
import { DEV_ACCOUNTS, DEV_MNEMONIC } from '../devKeys';
import { DEMO_CONTRIBUTOR_COUNT, demoContributorAccount, demoContributorByAddress, demoContributors } from '../demoContributorKeys';

describe('demo contributor keys', () => {
  it('are the mnemonic accounts after Anvil’s ten, by the slow per-account derivation', () => {
    const all = demoContributors();
    expect(all).toHaveLength(DEMO_CONTRIBUTOR_COUNT);
    for (const i of [0, 1, DEMO_CONTRIBUTOR_COUNT - 1]) {
      expect(all[i]!.address).toBe(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 10 + i }).address);
    }
    // The root derivation agrees with Anvil's own accounts' too (index 9 is the last of them).
    expect(mnemonicToAccount(DEV_MNEMONIC, { addressIndex: 9 }).address).toBe(DEV_ACCOUNTS[9]!.address);
    expect(new Set(all.map((a) => a.address)).size).toBe(DEMO_CONTRIBUTOR_COUNT);
    expect(all[0]!.label).toMatch(/devnet only/);
    expect(demoContributorByAddress(all[3]!.address.toLowerCase())?.index).toBe(3);
  });

  it('are refused off the devnet', () => {
    expect(() => demoContributorAccount(0, { chainId: 1, devnetChainId: 31337 })).toThrow(/not the local devnet/);
    expect(() => demoContributorAccount(0, { chainId: 31337, devnetChainId: 31337, rpcUrl: 'http://example.com:8545' })).toThrow(/not loopback/);
    expect(demoContributorAccount(0, { chainId: 31337, devnetChainId: 31337, rpcUrl: 'http://127.0.0.1:8545' }).address).toBe(demoContributors()[0]!.address);
  });
});
