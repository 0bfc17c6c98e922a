// Writes a safetensors file. Tensors are laid out in name order after a header padded with
// spaces to a multiple of 8 bytes (as the reference writer does, so data stays aligned).
// The write goes to a temporary file renamed into place: a crash never leaves half a model.
import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs';
import { encodeFromFloat32 } from './convertDtype';
import type { FloatDtype } from './dtype';
import type { Tensor } from '../tensor';

export interface WriteSafetensorsOptions {
  dtype?: FloatDtype;
  /** Per-tensor dtype override, e.g. keep norms in F32 while weights are F16. */
  dtypeOf?: (name: string) => FloatDtype | undefined;
  metadata?: Record<string, string>;
}

interface Layout {
  header: Uint8Array;
  entries: { name: string; tensor: Tensor; dtype: FloatDtype }[];
  dataBytes: number;
}

/** Header bytes (padded) and the order tensors follow it in. */
function layout(tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, opts: WriteSafetensorsOptions): Layout {
  const all: [string, Tensor][] = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  all.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (opts.metadata && Object.keys(opts.metadata).length > 0) header['__metadata__'] = opts.metadata;
  const entries: Layout['entries'] = [];
  let offset = 0;
  for (const [name, t] of all) {
    const dtype = opts.dtypeOf?.(name) ?? opts.dtype ?? 'F32';
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (expected !== t.data.length) throw new Error(`tensor "${name}": shape ${JSON.stringify(t.shape)} holds ${expected} values, data has ${t.data.length}`);
    const bytes = t.data.length * (dtype === 'F32' ? 4 : 2);
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    entries.push({ name, tensor: t, dtype });
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const padded = Math.ceil(Buffer.byteLength(json) / 8) * 8;
  json += ' '.repeat(padded - Buffer.byteLength(json));
  const body = Buffer.from(json, 'utf8');
  const head = new Uint8Array(8 + body.byteLength);
  new DataView(head.buffer).setBigUint64(0, BigInt(body.byteLength), true);
  head.set(body, 8);
  return { header: head, entries, dataBytes: offset };
}

/** The whole file in memory (small files, tests). */
export function encodeSafetensors(tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, opts: WriteSafetensorsOptions = {}): Uint8Array {
  const l = layout(tensors, opts);
  const out = new Uint8Array(l.header.byteLength + l.dataBytes);
  out.set(l.header, 0);
  let pos = l.header.byteLength;
  for (const e of l.entries) {
    const b = encodeFromFloat32(e.tensor.data, e.dtype);
    out.set(b, pos);
    pos += b.byteLength;
  }
  return out;
}

/** Streams tensor by tensor, so a model never needs a second full copy in memory. */
export function writeSafetensors(path: string, tensors: ReadonlyMap<string, Tensor> | Record<string, Tensor>, opts: WriteSafetensorsOptions = {}): void {
  const l = layout(tensors, opts);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeAll(fd, l.header);
    for (const e of l.entries) writeAll(fd, encodeFromFloat32(e.tensor.data, e.dtype));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

function writeAll(fd: number, b: Uint8Array): void {
  let done = 0;
  while (done < b.byteLength) done += writeSync(fd, b, done, b.byteLength - done);
}
