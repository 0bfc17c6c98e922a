import { describe, expect, it } from 'vitest';
import { addressLabel, DEV_ACCOUNT_ADDRESSES, devAccountIndex } from './devAccounts';

describe('devAccounts', () => {
  it('knows the ten well-known dev accounts, any letter case', () => {
    expect(DEV_ACCOUNT_ADDRESSES).toHaveLength(10);
    expect(devAccountIndex('0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266')).toBe(0);
    expect(devAccountIndex('0x0000000000000000000000000000000000000001')).toBeNull();
  });
  it('labels contracts first, then dev accounts', () => {
    const contracts = { WrappedOpen: '0x5FbDB2315678afecb367f032d93F642f64180aa3' };
    expect(addressLabel('0x5fbdb2315678afecb367f032d93f642f64180aa3', contracts)).toEqual({ text: 'WrappedOpen', kind: 'contract' });
    expect(addressLabel(DEV_ACCOUNT_ADDRESSES[3], contracts)).toEqual({ text: 'dev account #3', kind: 'dev' });
    expect(addressLabel('0x0000000000000000000000000000000000000001', contracts)).toBeNull();
  });
});
