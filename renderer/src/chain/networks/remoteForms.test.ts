import { describe, expect, it } from 'vitest';
import { fieldOfError, formatCountdown, validateKeyDraft, validateNetworkDraft } from './remoteForms';

const ok = { name: 'open-testnet', rpcUrl: 'https://rpc.example.org', chainId: '4242', currencySymbol: 'OPEN' };

describe('validateNetworkDraft', () => {
  it('accepts a well-formed network', () => {
    expect(validateNetworkDraft(ok, ['devnet'], 1337)).toEqual({});
  });

  it('names each bad field', () => {
    const errors = validateNetworkDraft({ name: 'Bad Name', rpcUrl: 'ftp://host', chainId: '1.5', currencySymbol: 'O-P' }, [], null);
    expect(Object.keys(errors).sort()).toEqual(['chainId', 'currencySymbol', 'name', 'rpcUrl']);
    expect(validateNetworkDraft({ ...ok, rpcUrl: 'not a url' }, [], null).rpcUrl).toMatch(/http/);
    expect(validateNetworkDraft({ ...ok, chainId: '0' }, [], null).chainId).toMatch(/at least 1/);
  });

  it('refuses a taken name, the devnet name and the devnet chain id', () => {
    expect(validateNetworkDraft({ ...ok, name: 'devnet' }, ['devnet'], 1337).name).toMatch(/built-in/);
    expect(validateNetworkDraft(ok, ['devnet', 'open-testnet'], 1337).name).toMatch(/exists already/);
    expect(validateNetworkDraft({ ...ok, chainId: '1337' }, ['devnet'], 1337).chainId).toMatch(/local devnet/);
  });
});

describe('validateKeyDraft', () => {
  const key = `0x${'ab'.repeat(32)}`;
  it('accepts a key with or without 0x and a confirmed passphrase of 8+ characters', () => {
    expect(validateKeyDraft({ privateKey: key, passphrase: '12345678', confirm: '12345678' })).toEqual({});
    expect(validateKeyDraft({ privateKey: key.slice(2), passphrase: '12345678', confirm: '12345678' })).toEqual({});
    expect(validateKeyDraft({ privateKey: null, passphrase: '12345678', confirm: '12345678' })).toEqual({});
  });

  it('names short, mismatched and malformed input without echoing the key', () => {
    const errors = validateKeyDraft({ privateKey: 'ab'.repeat(31), passphrase: 'short', confirm: 'other' });
    expect(Object.keys(errors).sort()).toEqual(['confirm', 'passphrase', 'privateKey']);
    expect(errors.privateKey).not.toContain('ab'.repeat(31));
  });
});

describe('fieldOfError', () => {
  const fields = ['name', 'rpcUrl', 'chainId', 'currencySymbol'] as const;
  it('reads details.field', () => {
    expect(fieldOfError({ code: 'CHAIN_INVALID_ARGUMENT', message: 'chainId: 1337 is the devnet chain id', details: { field: 'chainId' } }, fields)).toEqual({
      field: 'chainId',
      message: '1337 is the devnet chain id',
    });
  });

  it('reads a schema error naming params.field', () => {
    expect(fieldOfError({ code: 'INVALID_REQUEST', message: 'networks.add: params.rpcUrl: an http:// or https:// URL' }, fields)).toEqual({
      field: 'rpcUrl',
      message: 'an http:// or https:// URL',
    });
  });

  it('puts a conflict on the name, and leaves anything else unplaced', () => {
    expect(fieldOfError({ code: 'CONFLICT', message: 'A network named "x" exists already' }, fields).field).toBe('name');
    expect(fieldOfError({ code: 'INTERNAL', message: 'boom' }, fields)).toEqual({ field: null, message: 'boom' });
    expect(fieldOfError({ code: 'X', message: 'other: thing' }, fields).field).toBeNull();
  });
});

describe('formatCountdown', () => {
  it('shows minutes and seconds left, rounding up, and "expired" at the end', () => {
    expect(formatCountdown(300_000, 0)).toBe('5:00');
    expect(formatCountdown(7_000, 200)).toBe('0:07');
    expect(formatCountdown(1_000, 1_000)).toBe('expired');
    expect(formatCountdown(0, 5_000)).toBe('expired');
  });
});
