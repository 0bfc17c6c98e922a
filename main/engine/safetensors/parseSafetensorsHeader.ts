// Validates a safetensors header against the file it came from, following the format's rules
// (those of the reference Rust reader): 8-byte little-endian header length, a JSON object whose
// entries name dtype, shape and [begin, end) byte offsets into the data section, the tensors
// tiling that section exactly (no overlap, no gap, nothing after the last tensor).
import { SafetensorsError } from './SafetensorsError';
import { DTYPE_BYTES, isDtype, type Dtype } from './dtype';

/** Same cap as the Rust reader: a larger header is corrupt or hostile, not a model. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorEntry {
  name: string;
  dtype: Dtype;
  shape: number[];
  /** Byte offsets relative to the start of the data section, [begin, end). */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Bytes before the data section: 8 + header length. */
  dataStart: number;
  metadata: Record<string, string>;
  tensors: Map<string, TensorEntry>;
}

/** Reads the header length from the first 8 bytes; `fileSize` bounds it. */
export function parseHeaderLength(first8: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || first8.byteLength < 8) {
    throw new SafetensorsError('file_too_small', file, `file is ${fileSize} bytes, smaller than the 8-byte header length`);
  }
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError('header_length', file, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  }
  if (8n + n > BigInt(fileSize)) {
    throw new SafetensorsError('header_length', file, `header length ${n} runs past the end of the ${fileSize}-byte file`);
  }
  return Number(n);
}

export function parseSafetensorsHeader(headerBytes: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const dataStart = 8 + headerBytes.byteLength;
  const dataSize = fileSize - dataStart;
  let json: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
    if (!text.startsWith('{')) throw new Error('header does not start with "{"');
    json = JSON.parse(text);
  } catch (e) {
    // V8's JSON messages quote the text; say only what is wrong and where.
    const why = e instanceof SyntaxError ? 'not valid JSON' : (e as Error).message;
    throw new SafetensorsError('header_json', file, `header is not a JSON object: ${why}`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new SafetensorsError('header_json', file, 'header is not a JSON object');
  }
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, TensorEntry>();
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        throw new SafetensorsError('header_json', file, '__metadata__ is not an object of strings');
      }
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v !== 'string') throw new SafetensorsError('header_json', file, `__metadata__.${k} is not a string`);
        metadata[k] = v;
      }
      continue;
    }
    tensors.set(name, parseEntry(name, raw, dataSize, file));
  }
  checkTiling([...tensors.values()], dataSize, file);
  return { dataStart, metadata, tensors };
}

function parseEntry(name: string, raw: unknown, dataSize: number, file: string): TensorEntry {
  if (raw === null || typeof raw !== 'object') throw new SafetensorsError('header_json', file, 'entry is not an object', name);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (!isDtype(dtype)) throw new SafetensorsError('dtype', file, `unknown dtype ${JSON.stringify(dtype)}`, name);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new SafetensorsError('shape', file, `shape ${JSON.stringify(shape)} is not a list of non-negative integers`, name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw new SafetensorsError('header_json', file, `data_offsets ${JSON.stringify(offsets)} is not [begin, end]`, name);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end) throw new SafetensorsError('offsets_out_of_bounds', file, `data_offsets [${begin}, ${end}] end before they begin`, name);
  if (end > dataSize) {
    throw new SafetensorsError('offsets_out_of_bounds', file, `data_offsets [${begin}, ${end}] run past the ${dataSize}-byte data section`, name);
  }
  let count = 1;
  for (const d of shape as number[]) count *= d;
  const expected = count * DTYPE_BYTES[dtype];
  if (end - begin !== expected) {
    throw new SafetensorsError(
      'size_mismatch',
      file,
      `${dtype} ${JSON.stringify(shape)} needs ${expected} bytes but data_offsets [${begin}, ${end}] hold ${end - begin}`,
      name,
    );
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

function checkTiling(entries: TensorEntry[], dataSize: number, file: string): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: TensorEntry | undefined;
  for (const t of sorted) {
    if (t.begin < pos) {
      throw new SafetensorsError('offsets_overlap', file, `data_offsets [${t.begin}, ${t.end}] overlap tensor "${prev?.name}" ending at ${pos}`, t.name);
    }
    if (t.begin > pos) {
      throw new SafetensorsError('offsets_gap', file, `data_offsets begin at ${t.begin}, leaving a gap after byte ${pos}`, t.name);
    }
    pos = t.end;
    prev = t;
  }
  if (pos !== dataSize) {
    throw new SafetensorsError('trailing_bytes', file, `tensors cover ${pos} bytes but the data section holds ${dataSize}`);
  }
}
