import { describe, expect, it } from 'vitest';
import {
  abiFunctions,
  addressError,
  displayType,
  errorParamNames,
  functionSignature,
  isAddress,
  namedOutputs,
  parseArgument,
  parseArguments,
} from './abiForms';

const p = (type: string, name = 'x', components?: { name: string; type: string }[]) => (components ? { name, type, components } : { name, type });

describe('abiFunctions', () => {
  const abi = [
    { type: 'function', name: 'withdraw', inputs: [{ name: 'amount', type: 'uint256' }], outputs: [], stateMutability: 'nonpayable' },
    { type: 'function', name: 'balanceOf', inputs: [{ name: 'account', type: 'address' }], outputs: [{ name: '', type: 'uint256' }], stateMutability: 'view' },
    { type: 'function', name: 'deposit', inputs: [], outputs: [], stateMutability: 'payable' },
    { type: 'event', name: 'Deposited', inputs: [] },
    { type: 'error', name: 'ZeroAmount', inputs: [] },
  ];
  it('splits reads from writes and sorts them by name', () => {
    const { reads, writes } = abiFunctions(abi);
    expect(reads.map((f) => f.name)).toEqual(['balanceOf']);
    expect(writes.map((f) => f.name)).toEqual(['deposit', 'withdraw']);
    expect(writes[0]!.stateMutability).toBe('payable');
    expect(functionSignature(reads[0]!)).toBe('balanceOf(address)');
  });
  it('spells tuples out', () => {
    expect(
      displayType(
        p('tuple[]', 'v', [
          { name: 'a', type: 'address' },
          { name: 'b', type: 'uint96' },
        ]),
      ),
    ).toBe('(address,uint96)[]');
  });
});

describe('parseArgument', () => {
  it('reads uints from decimal strings without losing precision', () => {
    expect(parseArgument(p('uint256'), '123456789012345678901234567890')).toEqual({ ok: true, value: '123456789012345678901234567890' });
    expect(parseArgument(p('uint256'), ' 1_000 ')).toEqual({ ok: true, value: '1000' });
    expect(parseArgument(p('uint256'), '0x10')).toEqual({ ok: true, value: '16' });
    expect(parseArgument(p('uint8'), '256').ok).toBe(false);
    expect(parseArgument(p('uint256'), '-1').ok).toBe(false);
    expect(parseArgument(p('uint256'), '1.5').ok).toBe(false);
    expect(parseArgument(p('uint256'), '').ok).toBe(false);
    expect(parseArgument(p('int8'), '-128')).toEqual({ ok: true, value: '-128' });
    expect(parseArgument(p('uint96'), (2n ** 96n).toString()).ok).toBe(false);
  });

  it('checks addresses', () => {
    const a = '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266';
    expect(parseArgument(p('address'), a)).toEqual({ ok: true, value: a });
    expect(isAddress(a)).toBe(true);
    expect(addressError('f39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toContain('starts with 0x');
    expect(addressError('0x1234')).toContain('this has 4');
    expect(addressError('0xzz39Fd6e51aad88F6F4ce6aB8827279cffFb922')).toContain('hex digits');
    expect(addressError('')).toBe('Enter an address.');
    // Mixed case must be the EIP-55 checksum (issue 10): the same rule as the core's.
    expect(addressError('0x70997970c51812dc3a010c7d01b50e0d17dc79C8')).toMatch(/EIP-55 checksum/);
    expect(addressError('0x70997970c51812dc3a010c7d01b50e0d17dc79c8')).toBeNull();
  });

  it('reads bools', () => {
    expect(parseArgument(p('bool'), 'true')).toEqual({ ok: true, value: true });
    expect(parseArgument(p('bool'), 'False')).toEqual({ ok: true, value: false });
    expect(parseArgument(p('bool'), 'yes').ok).toBe(false);
  });

  it('checks bytes32 length and hex', () => {
    expect(parseArgument(p('bytes32'), `0x${'ab'.repeat(32)}`).ok).toBe(true);
    const short = parseArgument(p('bytes32'), '0xabcd');
    expect(short.ok ? '' : short.error).toContain('exactly 64 hex digits');
    expect(parseArgument(p('bytes32'), `0x${'zz'.repeat(32)}`).ok).toBe(false);
    expect(parseArgument(p('bytes'), '0xabc').ok).toBe(false);
    expect(parseArgument(p('bytes'), '0x')).toEqual({ ok: true, value: '0x' });
  });

  it('reads arrays as JSON and checks every item', () => {
    expect(parseArgument(p('uint256[]'), '[1, "2", "0x3"]')).toEqual({ ok: true, value: ['1', '2', '3'] });
    expect(parseArgument(p('bytes32[]'), '[]')).toEqual({ ok: true, value: [] });
    const bad = parseArgument(p('uint256[]'), '[1, -2]');
    expect(bad.ok ? '' : bad.error).toContain('item 1');
    expect(parseArgument(p('uint256[]'), '1,2').ok).toBe(false);
    expect(parseArgument(p('address[2]'), '["0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"]').ok).toBe(false);
  });

  it('reads tuples as JSON objects or arrays', () => {
    const t = p('tuple[]', 'versions', [
      { name: 'datanetId', type: 'uint256' },
      { name: 'version', type: 'uint256' },
    ]);
    expect(parseArgument(t, '[{"datanetId": 1, "version": "2"}]')).toEqual({ ok: true, value: [{ datanetId: '1', version: '2' }] });
    expect(parseArgument(t, '[[1, 2]]')).toEqual({ ok: true, value: [['1', '2']] });
    expect(parseArgument(t, '[{"datanetId": 1}]').ok).toBe(false);
  });

  it('lets strings be empty', () => {
    expect(parseArgument(p('string'), '')).toEqual({ ok: true, value: '' });
  });

  it('parses a whole form, one error per field', () => {
    const inputs = [p('string', 'uri'), p('uint256', 'stake')];
    expect(parseArguments(inputs, ['ipfs://x', '5'])).toEqual({ args: ['ipfs://x', '5'], errors: [null, null] });
    const bad = parseArguments(inputs, ['ipfs://x', 'five']);
    expect(bad.args).toBeNull();
    expect(bad.errors[0]).toBeNull();
    expect(bad.errors[1]).toContain('whole number');
  });
});

describe('errorParamNames', () => {
  it('finds a custom error in any ABI by name and arity', () => {
    const abis = [
      [{ type: 'error', name: 'ZeroAmount', inputs: [] }],
      [
        {
          type: 'error',
          name: 'InsufficientWrapped',
          inputs: [
            { name: 'account', type: 'address' },
            { name: 'balance', type: 'uint256' },
            { name: 'needed', type: 'uint256' },
          ],
        },
      ],
    ];
    expect(errorParamNames(abis, 'InsufficientWrapped', 3)).toEqual(['account', 'balance', 'needed']);
    expect(errorParamNames(abis, 'ZeroAmount', 0)).toEqual([]);
    expect(errorParamNames(abis, 'Missing', 1)).toBeNull();
  });
});

describe('namedOutputs', () => {
  it('names single, struct and multiple outputs', () => {
    expect(namedOutputs([{ name: '', type: 'uint256' }], '5')).toEqual({ result: '5' });
    expect(namedOutputs([{ name: 'balance', type: 'uint256' }], '5')).toEqual({ balance: '5' });
    expect(namedOutputs([{ name: '', type: 'tuple', components: [] }], { owner: '0x1', stake: '2' })).toEqual({ owner: '0x1', stake: '2' });
    expect(
      namedOutputs(
        [
          { name: 'a', type: 'uint256' },
          { name: '', type: 'bool' },
        ],
        ['1', true],
      ),
    ).toEqual({ a: '1', '[1]': true });
    expect(namedOutputs([], null)).toEqual({});
  });
});
