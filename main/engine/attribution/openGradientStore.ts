// Opens a gradient store through a memory mapping (native mapFile): the header and ids are
// validated against the file's size first (gradientStoreFormat.ts), then rows are views into the
// mapping (f32: zero-copy) and dot() scores every row natively without copying the matrix.
import { loadNativeEngine } from '../native/index';
import { dtypeBytes, parseGradientStoreHeader, parseGradientStoreIds, type GradientDtype } from './gradientStoreFormat';

export interface GradientStore {
  readonly path: string;
  readonly dtype: GradientDtype;
  readonly rows: number;
  readonly k: number;
  readonly seed: bigint;
  readonly fingerprint: string;
  readonly ids: readonly string[];
  /** Row i as f32: a view of the read-only mapping for f32 stores (do not write), a widened copy for f16. */
  row(i: number): Float32Array;
  /** (rows) scores: each row's dot product with query (length k), computed natively. */
  dot(query: Float32Array): Float32Array;
}

export function openGradientStore(path: string): GradientStore {
  const engine = loadNativeEngine();
  const buf = engine.mapFile(path);
  const h = parseGradientStoreHeader(buf, path);
  const ids = parseGradientStoreIds(buf, h, path);
  const elt = dtypeBytes(h.dtype);
  const checkRow = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= h.rows) throw new RangeError(`${path}: row ${i} is outside 0..${h.rows - 1}`);
  };
  return {
    path,
    dtype: h.dtype,
    rows: h.rows,
    k: h.k,
    seed: h.seed,
    fingerprint: h.fingerprint,
    ids,
    row(i) {
      checkRow(i);
      const at = h.dataOffset + i * h.k * elt;
      return h.dtype === 'f32' ? new Float32Array(buf, at, h.k) : engine.fromF16(buf, at, h.k);
    },
    dot(query) {
      if (!(query instanceof Float32Array) || query.length !== h.k) throw new TypeError(`${path}: the query must be a Float32Array of length k = ${h.k}`);
      return engine.gradientDot(buf, h.dataOffset, h.rows, h.k, h.dtype, query);
    },
  };
}
