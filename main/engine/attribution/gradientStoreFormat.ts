// The gradient store file (.sgrd): one row per training example (or generated token), each the
// k-dimensional projection of a LoRA gradient, plus a string id per row. Little-endian throughout.
//
//   offset size  field
//   0      4     magic 'SGRD'
//   4      4     version (u32) = 1
//   8      4     dtype (u32): 0 = f32, 1 = f16 (IEEE binary16)
//   12     4     k (u32), 1..1048576
//   16     8     rows (u64, < 2^32)
//   24     8     projection seed (u64)
//   32     32    model+adapter fingerprint (sha256 bytes)
//   64     8     dataOffset (u64): start of the (rows, k) row-major matrix, aligned to 64
//   72     8     idsOffset (u64): start of the row ids, >= dataOffset + rows·k·elt, aligned to 8
//   80     8     idsBytes (u64): size of the ids section
//   88     8     reserved, 0
//   ids section: (rows + 1) u64 offsets into the UTF-8 block that follows them (offsets[0] = 0,
//   non-decreasing, offsets[rows] = the block's length); id i is block[offsets[i], offsets[i+1]).
// The file ends at idsOffset + idsBytes. Readers validate every field against the file's size
// before exposing a row (parseGradientStoreHeader).

export const GRADIENT_STORE_MAGIC = 'SGRD';
export const GRADIENT_STORE_VERSION = 1;
export const GRADIENT_STORE_HEADER_BYTES = 96;
export const GRADIENT_STORE_DATA_ALIGN = 64;
export const GRADIENT_STORE_MAX_K = 1 << 20;

export type GradientDtype = 'f32' | 'f16';

export interface GradientStoreHeader {
  dtype: GradientDtype;
  rows: number;
  k: number;
  seed: bigint;
  /** sha256 of the model + adapter, hex (64 chars) */
  fingerprint: string;
  dataOffset: number;
  idsOffset: number;
  idsBytes: number;
}

export class GradientStoreFormatError extends Error {
  override name = 'GradientStoreFormatError';
  constructor(
    readonly file: string,
    readonly details: string,
  ) {
    super(`${file}: not a valid gradient store (${details})`);
  }
}

export function dtypeBytes(d: GradientDtype): number {
  return d === 'f32' ? 4 : 2;
}

export function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Reads and checks the header against the buffer's size; throws GradientStoreFormatError. */
export function parseGradientStoreHeader(buf: ArrayBuffer, file: string): GradientStoreHeader {
  const fail = (d: string): never => {
    throw new GradientStoreFormatError(file, d);
  };
  const size = buf.byteLength;
  if (size < GRADIENT_STORE_HEADER_BYTES) fail(`${size} bytes is smaller than the ${GRADIENT_STORE_HEADER_BYTES}-byte header`);
  const v = new DataView(buf);
  const magic = String.fromCharCode(v.getUint8(0), v.getUint8(1), v.getUint8(2), v.getUint8(3));
  if (magic !== GRADIENT_STORE_MAGIC) fail(`bad magic ${JSON.stringify(magic)}, expected 'SGRD'`);
  const version = v.getUint32(4, true);
  if (version !== GRADIENT_STORE_VERSION) fail(`unsupported version ${version}`);
  const dt = v.getUint32(8, true);
  if (dt !== 0 && dt !== 1) fail(`unknown dtype code ${dt}`);
  const dtype: GradientDtype = dt === 0 ? 'f32' : 'f16';
  const k = v.getUint32(12, true);
  if (k < 1 || k > GRADIENT_STORE_MAX_K) fail(`k = ${k} is outside 1..${GRADIENT_STORE_MAX_K}`);
  const rows64 = v.getBigUint64(16, true);
  if (rows64 >= 1n << 32n) fail(`rows = ${rows64} is too large`);
  const rows = Number(rows64);
  const big = (o: number, what: string): number => {
    const x = v.getBigUint64(o, true);
    if (x > BigInt(size)) fail(`${what} = ${x} is beyond the ${size}-byte file`);
    return Number(x);
  };
  const dataOffset = big(64, 'dataOffset');
  const idsOffset = big(72, 'idsOffset');
  const idsBytes = big(80, 'idsBytes');
  if (dataOffset < GRADIENT_STORE_HEADER_BYTES || dataOffset % GRADIENT_STORE_DATA_ALIGN !== 0) fail(`dataOffset = ${dataOffset} is inside the header or misaligned`);
  // rows < 2^32, k <= 2^20, elt <= 4: the product is < 2^54, exact in a double.
  const dataEnd = dataOffset + rows * k * dtypeBytes(dtype);
  if (dataEnd > size) fail(`the ${rows} x ${k} ${dtype} matrix ends at byte ${dataEnd}, beyond the ${size}-byte file (truncated?)`);
  if (idsOffset < dataEnd || idsOffset % 8 !== 0) fail(`idsOffset = ${idsOffset} overlaps the matrix or is misaligned`);
  if (idsOffset + idsBytes > size) fail(`the ids section ends at byte ${idsOffset + idsBytes}, beyond the ${size}-byte file (truncated?)`);
  if (idsBytes < 8 * (rows + 1)) fail(`the ids section (${idsBytes} bytes) cannot hold ${rows + 1} offsets`);
  const fp = new Uint8Array(buf, 32, 32);
  const fingerprint = Array.from(fp, (b) => b.toString(16).padStart(2, '0')).join('');
  return { dtype, rows, k, seed: v.getBigUint64(24, true), fingerprint, dataOffset, idsOffset, idsBytes };
}

/** The row ids, checked: offsets non-decreasing and inside the section, valid UTF-8. */
export function parseGradientStoreIds(buf: ArrayBuffer, h: GradientStoreHeader, file: string): string[] {
  const v = new DataView(buf, h.idsOffset, h.idsBytes);
  const blockStart = 8 * (h.rows + 1);
  const blockLen = h.idsBytes - blockStart;
  const offsets: number[] = [];
  for (let i = 0; i <= h.rows; i++) offsets.push(Number(v.getBigUint64(8 * i, true) > BigInt(blockLen) ? -1n : v.getBigUint64(8 * i, true)));
  if (offsets[0] !== 0 || offsets[h.rows] !== blockLen) throw new GradientStoreFormatError(file, 'the id offsets do not span the id block');
  const dec = new TextDecoder('utf-8', { fatal: true });
  const ids: string[] = [];
  for (let i = 0; i < h.rows; i++) {
    const a = offsets[i]!, b = offsets[i + 1]!;
    if (a < 0 || b < a) throw new GradientStoreFormatError(file, `id offset ${i + 1} is out of order or out of range`);
    try {
      ids.push(dec.decode(new Uint8Array(buf, h.idsOffset + blockStart + a, b - a)));
    } catch {
      throw new GradientStoreFormatError(file, `id ${i} is not valid UTF-8`);
    }
  }
  return ids;
}
