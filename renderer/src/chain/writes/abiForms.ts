/**
 * Read and write forms generated from a contract's JSON ABI (chain.contracts): which functions
 * go in which form, and how each typed field becomes an argument. The core converts and checks
 * again (main/chain/writes/convertArgs.ts); checking here puts the error beside the field before any
 * call. Values are kept JSON (big integers as decimal strings) because that is what crosses.
 */
import type { ParseResult } from '../openAmount';
import { addressProblem } from '../../../../main/api/checkAddress';

export interface AbiParam {
  name: string;
  type: string;
  components?: AbiParam[];
}

export interface AbiFunction {
  name: string;
  inputs: AbiParam[];
  outputs: AbiParam[];
  stateMutability: 'pure' | 'view' | 'nonpayable' | 'payable';
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function toParam(raw: unknown): AbiParam {
  const r = isRecord(raw) ? raw : {};
  const param: AbiParam = { name: typeof r.name === 'string' ? r.name : '', type: typeof r.type === 'string' ? r.type : 'unknown' };
  if (Array.isArray(r.components)) param.components = r.components.map(toParam);
  return param;
}

/** The ABI's functions split into reads (view, pure) and writes, each sorted by name. */
export function abiFunctions(abi: readonly Record<string, unknown>[]): { reads: AbiFunction[]; writes: AbiFunction[] } {
  const fns: AbiFunction[] = abi
    .filter((e) => e.type === 'function' && typeof e.name === 'string')
    .map((e) => ({
      name: e.name as string,
      inputs: Array.isArray(e.inputs) ? e.inputs.map(toParam) : [],
      outputs: Array.isArray(e.outputs) ? e.outputs.map(toParam) : [],
      stateMutability: (['pure', 'view', 'payable'].includes(e.stateMutability as string) ? e.stateMutability : 'nonpayable') as AbiFunction['stateMutability'],
    }));
  const byName = (a: AbiFunction, b: AbiFunction) => a.name.localeCompare(b.name) || a.inputs.length - b.inputs.length;
  return {
    reads: fns.filter((f) => f.stateMutability === 'view' || f.stateMutability === 'pure').sort(byName),
    writes: fns.filter((f) => f.stateMutability !== 'view' && f.stateMutability !== 'pure').sort(byName),
  };
}

/** "tuple" with its components spelled out, as Solidity shows it: "(address,uint96)[]". */
export function displayType(param: AbiParam): string {
  if (!param.type.startsWith('tuple') || !param.components) return param.type;
  return `(${param.components.map(displayType).join(',')})${param.type.slice('tuple'.length)}`;
}

/** "createDatanet(string,uint256)": tells overloads apart and keys each form. */
export function functionSignature(fn: AbiFunction): string {
  return `${fn.name}(${fn.inputs.map(displayType).join(',')})`;
}

/** An address as the API wants it: 0x, 40 hex digits, and mixed case only as its EIP-55 checksum. */
export function isAddress(text: string): boolean {
  return addressProblem(text.trim()) === null;
}

/** Why `text` is not an address, or null when it is one (the core's own rule, main/api/checkAddress). */
export function addressError(text: string): string | null {
  const t = text.trim();
  if (t === '') return 'Enter an address.';
  const problem = addressProblem(t);
  return problem ? `${problem[0]!.toUpperCase()}${problem.slice(1)}.` : null;
}

const fail = (error: string): ParseResult<unknown> => ({ ok: false, error });

function integerRange(type: string): { min: bigint; max: bigint } | null {
  const m = /^(u?)int(\d*)$/.exec(type);
  if (!m) return null;
  const bits = BigInt(m[2] || '256');
  return m[1] ? { min: 0n, max: (1n << bits) - 1n } : { min: -(1n << (bits - 1n)), max: (1n << (bits - 1n)) - 1n };
}

/** One value (a field's text, or an element of a JSON array) checked against a Solidity type. */
function parseValue(type: string, value: unknown, components?: AbiParam[]): ParseResult<unknown> {
  const array = /^(.*)\[(\d*)\]$/.exec(type);
  if (array) {
    let list = value;
    if (typeof value === 'string') {
      try {
        list = JSON.parse(value);
      } catch {
        return fail(`${type}: write a JSON array, e.g. ${arrayExample(array[1]!)}`);
      }
    }
    if (!Array.isArray(list)) return fail(`${type}: write a JSON array, e.g. ${arrayExample(array[1]!)}`);
    if (array[2] && list.length !== Number(array[2])) return fail(`${type}: needs exactly ${array[2]} items, has ${list.length}`);
    const out: unknown[] = [];
    for (const [i, item] of list.entries()) {
      const r = parseValue(array[1]!, item, components);
      if (!r.ok) return fail(`item ${i}: ${r.error}`);
      out.push(r.value);
    }
    return { ok: true, value: out };
  }
  if (type === 'tuple') {
    let obj = value;
    if (typeof value === 'string') {
      try {
        obj = JSON.parse(value);
      } catch {
        return fail('tuple: write a JSON object or array of its fields');
      }
    }
    const fields = components ?? [];
    if (Array.isArray(obj)) {
      if (obj.length !== fields.length) return fail(`tuple: needs ${fields.length} fields, has ${obj.length}`);
      const out: unknown[] = [];
      for (const [i, f] of fields.entries()) {
        const r = parseValue(f.type, obj[i], f.components);
        if (!r.ok) return fail(`${f.name || i}: ${r.error}`);
        out.push(r.value);
      }
      return { ok: true, value: out };
    }
    if (!isRecord(obj)) return fail('tuple: write a JSON object or array of its fields');
    const out: Record<string, unknown> = {};
    for (const [i, f] of fields.entries()) {
      const key = f.name || String(i);
      if (!(key in obj)) return fail(`tuple: the field "${key}" is missing`);
      const r = parseValue(f.type, obj[key], f.components);
      if (!r.ok) return fail(`${key}: ${r.error}`);
      out[key] = r.value;
    }
    return { ok: true, value: out };
  }
  const range = integerRange(type);
  if (range) {
    let n: bigint;
    if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
    else if (typeof value === 'string' && /^-?\d+$/.test(value.trim().replace(/_/g, ''))) n = BigInt(value.trim().replace(/_/g, ''));
    else if (typeof value === 'string' && /^0x[0-9a-fA-F]+$/.test(value.trim())) n = BigInt(value.trim());
    else return fail(`${type}: a whole number in decimal digits (or 0x hex)`);
    if (n < range.min || n > range.max) return fail(`${type}: out of range ${range.min}..${range.max}`);
    return { ok: true, value: n.toString() };
  }
  if (type === 'address') {
    const text = typeof value === 'string' ? value.trim() : '';
    const why = addressError(text);
    return why ? fail(why) : { ok: true, value: text };
  }
  if (type === 'bool') {
    const t = typeof value === 'boolean' ? String(value) : typeof value === 'string' ? value.trim().toLowerCase() : '';
    if (t === 'true' || t === '1') return { ok: true, value: true };
    if (t === 'false' || t === '0') return { ok: true, value: false };
    return fail('bool: true or false');
  }
  if (type === 'string') return typeof value === 'string' ? { ok: true, value } : fail('string: a text value');
  const bytes = /^bytes(\d*)$/.exec(type);
  if (bytes) {
    const t = typeof value === 'string' ? value.trim() : '';
    if (!/^0x[0-9a-fA-F]*$/.test(t)) return fail(`${type}: 0x followed by hex digits`);
    if (t.length % 2 !== 0) return fail(`${type}: an even number of hex digits`);
    if (bytes[1] && t.length !== 2 + Number(bytes[1]) * 2) {
      return fail(`${type}: exactly ${Number(bytes[1]) * 2} hex digits after 0x, has ${t.length - 2}`);
    }
    return { ok: true, value: t };
  }
  return fail(`${type}: this form cannot encode it`);
}

function arrayExample(inner: string): string {
  if (/^u?int/.test(inner)) return '[1, 2]';
  if (inner === 'address') return '["0x…", "0x…"]';
  if (inner === 'bool') return '[true, false]';
  if (inner.startsWith('bytes')) return '["0x…"]';
  return '[…]';
}

/** One form field's text for `param`: the value to send, or why it cannot be. */
export function parseArgument(param: AbiParam, text: string): ParseResult<unknown> {
  if (param.type !== 'string' && text.trim() === '') return fail('Required.');
  return parseValue(param.type, text, param.components);
}

/** Every field at once: the args when all parse, and one error (or null) per field. */
export function parseArguments(inputs: readonly AbiParam[], texts: readonly string[]): { args: unknown[] | null; errors: (string | null)[] } {
  const args: unknown[] = [];
  const errors = inputs.map((p, i) => {
    const r = parseArgument(p, texts[i] ?? '');
    if (r.ok) args.push(r.value);
    return r.ok ? null : r.error;
  });
  return { args: errors.every((e) => e === null) ? args : null, errors };
}

/** A hint shown in an empty field. */
export function placeholderFor(param: AbiParam): string {
  const t = param.type;
  if (t.endsWith(']')) return `JSON array, e.g. ${arrayExample(t.replace(/\[\d*\]$/, ''))}`;
  if (t === 'tuple') return 'JSON object of its fields';
  if (/^u?int/.test(t)) return 'whole number, e.g. 1000000000000000000';
  if (t === 'address') return '0x… (40 hex digits)';
  if (t === 'bool') return 'true or false';
  if (t === 'bytes32') return '0x… (64 hex digits)';
  if (t.startsWith('bytes')) return '0x…';
  return '';
}

/** The parameter names of custom error `errorName` in any of the ABIs (they are not on the wire). */
export function errorParamNames(abis: readonly (readonly Record<string, unknown>[])[], errorName: string, argCount: number): string[] | null {
  for (const abi of abis) {
    for (const e of abi) {
      if (e.type === 'error' && e.name === errorName && Array.isArray(e.inputs) && e.inputs.length === argCount) {
        return e.inputs.map((i, n) => toParam(i).name || `arg${n}`);
      }
    }
  }
  return null;
}

/** The function `name` taking `argCount` arguments in `abi` (overloads told apart by arity). */
export function findFunction(abi: readonly Record<string, unknown>[], name: string, argCount: number): AbiFunction | undefined {
  const { reads, writes } = abiFunctions(abi);
  return [...writes, ...reads].find((f) => f.name === name && f.inputs.length === argCount);
}

/**
 * A read's result with its output names: one output is `{name: value}` (a struct's own fields
 * when it returns one), several are an array matched to their names.
 */
export function namedOutputs(outputs: readonly AbiParam[], result: unknown): Record<string, unknown> {
  if (outputs.length === 0) return result === undefined || result === null ? {} : { result };
  if (outputs.length === 1) {
    const o = outputs[0]!;
    if (o.type === 'tuple' && isRecord(result)) return result;
    return { [o.name || 'result']: result };
  }
  if (Array.isArray(result)) return Object.fromEntries(outputs.map((o, i) => [o.name || `[${i}]`, result[i]]));
  return { result };
}
