// Turns loosely typed arguments (CLI words, form fields, JSON from the API) into the values viem
// encodes for an ABI function, so people can type `1.5`-free integers, hex, addresses and JSON
// arrays, and a mistake is reported naming the argument, its position and its Solidity type.
import { isHex, parseEther, type AbiFunction, type AbiParameter } from 'viem';
import { addressProblem, checksummed } from '../../api/checkAddress';
import { shortenText } from '../../api/redactSecrets';
import { invalidArgument } from '../chainErrors';

type Converted = unknown;

function fail(where: string, type: string, value: unknown, why: string): never {
  // A 20 kB argument is the caller's own: show enough to recognise it, not all of it.
  const shown = shortenText(typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value)), 120);
  throw invalidArgument(`${where} (${type}): ${shown} ${why}`, { argument: where, type, value: shown });
}

function parseJsonIfString(where: string, type: string, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return fail(where, type, value, 'is not valid JSON (arrays and tuples are written as JSON, e.g. [1,2])');
  }
}

function convertInteger(where: string, type: string, value: unknown): bigint {
  const signed = type.startsWith('int');
  const bits = Number(type.replace(/^u?int/, '') || '256');
  let n: bigint;
  if (typeof value === 'bigint') n = value;
  else if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) fail(where, type, value, 'is not a whole number (pass large numbers as strings)');
    n = BigInt(value);
  } else if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) n = BigInt(value.trim());
  else if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value.trim())) n = BigInt(value.trim());
  else return fail(where, type, value, 'is not a whole number (decimal digits or 0x hex)');
  const min = signed ? -(1n << BigInt(bits - 1)) : 0n;
  const max = signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (n < min || n > max) fail(where, type, value, `is outside ${type}'s range ${min}..${max}`);
  return n;
}

function convertOne(where: string, param: AbiParameter, value: unknown): Converted {
  const type = param.type;
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) {
    const list = parseJsonIfString(where, type, value);
    if (!Array.isArray(list)) return fail(where, type, value, 'is not an array');
    const fixed = array[2] ? Number(array[2]) : undefined;
    if (fixed !== undefined && list.length !== fixed) fail(where, type, value, `has ${list.length} items, expected ${fixed}`);
    const inner = { ...param, type: array[1]! } as AbiParameter;
    return list.map((item, i) => convertOne(`${where}[${i}]`, inner, item));
  }
  if (type === 'tuple') {
    const components = (param as { components: readonly AbiParameter[] }).components;
    const obj = parseJsonIfString(where, type, value);
    if (Array.isArray(obj)) {
      if (obj.length !== components.length) fail(where, type, value, `has ${obj.length} fields, expected ${components.length}`);
      return components.map((c, i) => convertOne(`${where}.${c.name ?? i}`, c, obj[i]));
    }
    if (obj === null || typeof obj !== 'object') return fail(where, type, value, 'is not an object or array of fields');
    const out: Record<string, unknown> = {};
    for (const [i, c] of components.entries()) {
      const key = c.name ?? String(i);
      if (!(key in obj)) fail(where, type, value, `lacks the field "${key}"`);
      out[key] = convertOne(`${where}.${key}`, c, (obj as Record<string, unknown>)[key]);
    }
    return out;
  }
  if (/^u?int\d*$/.test(type)) return convertInteger(where, type, value);
  if (type === 'address') {
    if (typeof value !== 'string') return fail(where, type, value, 'is not an address (0x followed by 40 hex digits)');
    const problem = addressProblem(value);
    if (problem) return fail(where, type, value, `is not an address: ${problem}`);
    return checksummed(value);
  }
  if (type === 'bool') {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    return fail(where, type, value, 'is not true or false');
  }
  if (type === 'string') {
    if (typeof value !== 'string') return fail(where, type, value, 'is not a string');
    return value;
  }
  const bytes = /^bytes(\d*)$/.exec(type);
  if (bytes) {
    if (typeof value !== 'string' || !isHex(value, { strict: true })) return fail(where, type, value, 'is not 0x-prefixed hex');
    if (value.length % 2 !== 0) fail(where, type, value, 'has an odd number of hex digits');
    const size = bytes[1] ? Number(bytes[1]) : undefined;
    if (size !== undefined && value.length !== 2 + size * 2) fail(where, type, value, `is ${(value.length - 2) / 2} bytes, expected ${size}`);
    return value;
  }
  return fail(where, type, value, 'has a type this form does not handle');
}

/** Converts `args` for `fn`'s inputs; throws CHAIN_INVALID_ARGUMENT naming the argument. */
export function convertArgs(fn: AbiFunction, args: readonly unknown[]): unknown[] {
  if (args.length !== fn.inputs.length) {
    const expected = fn.inputs.map((p, i) => `${p.type} ${p.name || `arg${i}`}`).join(', ');
    throw invalidArgument(`${fn.name} takes ${fn.inputs.length} argument(s) (${expected}), got ${args.length}.`, { expected: fn.inputs });
  }
  return fn.inputs.map((param, i) => convertOne(`argument ${i + 1} "${param.name || `arg${i}`}"`, param, args[i]));
}

/** An amount of the native currency in OPEN ("1.5") as wei; throws naming the field. */
export function parseOpen(field: string, text: string): bigint {
  const t = text.trim();
  if (!/^\d+(\.\d{1,18})?$/.test(t)) {
    throw invalidArgument(`${field}: ${JSON.stringify(text)} is not an amount of OPEN (a non-negative decimal with at most 18 decimals, e.g. 1.5)`, {
      argument: field,
      value: text,
    });
  }
  return parseEther(t);
}
