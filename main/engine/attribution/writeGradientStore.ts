// Writes a gradient store (format: gradientStoreFormat.ts, native/README.md) atomically: the
// bytes go to a temporary file beside the target, are fsynced, and renamed over it, so a reader
// sees either the old store or the complete new one, never a partial file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { loadNativeEngine } from '../native/index';
import {
  GRADIENT_STORE_DATA_ALIGN,
  GRADIENT_STORE_HEADER_BYTES,
  GRADIENT_STORE_MAGIC,
  GRADIENT_STORE_MAX_K,
  GRADIENT_STORE_VERSION,
  alignUp,
  dtypeBytes,
  type GradientDtype,
} from './gradientStoreFormat';

export interface WriteGradientStoreOptions {
  /** (rows, k) row-major */
  matrix: Float32Array;
  k: number;
  /** one per row */
  ids: string[];
  /** stored precision; default 'f32' (f16 halves the file, rounding each value once) */
  dtype?: GradientDtype;
  /** the projection's seed (u64) */
  seed: number | bigint;
  /** sha256 of the model + adapter, 64 hex characters */
  fingerprint: string;
}

export function writeGradientStore(path: string, o: WriteGradientStoreOptions): void {
  const dtype = o.dtype ?? 'f32';
  const { k } = o;
  if (!Number.isInteger(k) || k < 1 || k > GRADIENT_STORE_MAX_K) throw new RangeError(`writeGradientStore: k must be an integer in 1..${GRADIENT_STORE_MAX_K}`);
  if (o.matrix.length % k !== 0) throw new RangeError(`writeGradientStore: matrix length ${o.matrix.length} is not a multiple of k = ${k}`);
  const rows = o.matrix.length / k;
  if (o.ids.length !== rows) throw new RangeError(`writeGradientStore: ${o.ids.length} ids for ${rows} rows`);
  if (!/^[0-9a-f]{64}$/i.test(o.fingerprint)) throw new TypeError('writeGradientStore: fingerprint must be a sha256 in hex (64 characters)');
  const seed = BigInt(o.seed);
  if (seed < 0n || seed >= 1n << 64n) throw new RangeError('writeGradientStore: seed must fit in a u64');

  const dataOffset = alignUp(GRADIENT_STORE_HEADER_BYTES, GRADIENT_STORE_DATA_ALIGN);
  const dataBytes = rows * k * dtypeBytes(dtype);
  const idsOffset = alignUp(dataOffset + dataBytes, 8);
  const enc = new TextEncoder();
  const idBytes = o.ids.map((s) => enc.encode(s));
  const blockLen = idBytes.reduce((n, b) => n + b.length, 0);
  const idsBytes = 8 * (rows + 1) + blockLen;

  const header = new Uint8Array(dataOffset);
  const hv = new DataView(header.buffer);
  for (let i = 0; i < 4; i++) header[i] = GRADIENT_STORE_MAGIC.charCodeAt(i);
  hv.setUint32(4, GRADIENT_STORE_VERSION, true);
  hv.setUint32(8, dtype === 'f32' ? 0 : 1, true);
  hv.setUint32(12, k, true);
  hv.setBigUint64(16, BigInt(rows), true);
  hv.setBigUint64(24, seed, true);
  header.set(Buffer.from(o.fingerprint, 'hex'), 32);
  hv.setBigUint64(64, BigInt(dataOffset), true);
  hv.setBigUint64(72, BigInt(idsOffset), true);
  hv.setBigUint64(80, BigInt(idsBytes), true);

  const data = dtype === 'f32' ? new Uint8Array(o.matrix.buffer, o.matrix.byteOffset, dataBytes) : new Uint8Array(loadNativeEngine().toF16(o.matrix).buffer);
  const ids = new Uint8Array(idsOffset - dataOffset - dataBytes + idsBytes);
  const iv = new DataView(ids.buffer);
  const tableAt = idsOffset - dataOffset - dataBytes;
  let at = 0;
  idBytes.forEach((b, i) => {
    iv.setBigUint64(tableAt + 8 * i, BigInt(at), true);
    ids.set(b, tableAt + 8 * (rows + 1) + at);
    at += b.length;
  });
  iv.setBigUint64(tableAt + 8 * rows, BigInt(at), true);

  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    for (const part of [header, data, ids]) {
      for (let off = 0; off < part.length; ) off += writeSync(fd, part, off, part.length - off);
    }
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    rmSync(tmp, { force: true });
    throw e;
  }
}
