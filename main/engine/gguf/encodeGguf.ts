// GGUF v3 serialisation (llama.cpp's model file): little-endian header "GGUF", version 3,
// tensor count, metadata count, typed key/value metadata, tensor infos (name, dims innermost
// first, ggml type, offset), then tensor data, each tensor aligned to general.alignment (32).
import { f32ToF16Bits } from '../safetensors/convertDtype';

export type GgufValue =
  | { type: 'u32'; value: number }
  | { type: 'i32'; value: number }
  | { type: 'f32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'strings'; value: string[] }
  | { type: 'f32s'; value: number[] }
  | { type: 'i32s'; value: number[] };

export interface GgufTensor {
  name: string;
  /** PyTorch order (outermost first); written reversed as GGUF's ne[]. */
  shape: number[];
  type: 'F32' | 'F16';
  data: Float32Array;
}

export const GGUF_ALIGNMENT = 32;

// GGUF metadata value types and ggml tensor types, as numbered by the format.
const T = { UINT32: 4, INT32: 5, FLOAT32: 6, BOOL: 7, STRING: 8, ARRAY: 9 } as const;
const GGML_TYPE = { F32: 0, F16: 1 } as const;

class ByteSink {
  private chunks: Buffer[] = [];
  size = 0;
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
  }
  u32(v: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v >>> 0);
    this.push(b);
  }
  i32(v: number) {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number) {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string) {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.push(b);
  }
  pad(align: number) {
    const n = (align - (this.size % align)) % align;
    if (n) this.push(Buffer.alloc(n));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

function writeValue(s: ByteSink, v: GgufValue): void {
  switch (v.type) {
    case 'u32': s.u32(T.UINT32); s.u32(v.value); break;
    case 'i32': s.u32(T.INT32); s.i32(v.value); break;
    case 'f32': s.u32(T.FLOAT32); s.f32(v.value); break;
    case 'bool': s.u32(T.BOOL); s.push(Buffer.from([v.value ? 1 : 0])); break;
    case 'string': s.u32(T.STRING); s.str(v.value); break;
    case 'strings': s.u32(T.ARRAY); s.u32(T.STRING); s.u64(v.value.length); for (const x of v.value) s.str(x); break;
    case 'f32s': s.u32(T.ARRAY); s.u32(T.FLOAT32); s.u64(v.value.length); for (const x of v.value) s.f32(x); break;
    case 'i32s': s.u32(T.ARRAY); s.u32(T.INT32); s.u64(v.value.length); for (const x of v.value) s.i32(x); break;
  }
}

function tensorBytes(t: GgufTensor): Buffer {
  if (t.type === 'F32') return Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const b = Buffer.alloc(t.data.length * 2);
  for (let i = 0; i < t.data.length; i++) b.writeUInt16LE(f32ToF16Bits(t.data[i]!), i * 2);
  return b;
}

export function encodeGguf(metadata: [string, GgufValue][], tensors: GgufTensor[]): Buffer {
  const s = new ByteSink();
  s.push(Buffer.from('GGUF', 'ascii'));
  s.u32(3);
  s.u64(tensors.length);
  s.u64(metadata.length + 1);
  s.str('general.alignment');
  writeValue(s, { type: 'u32', value: GGUF_ALIGNMENT });
  for (const [k, v] of metadata) {
    s.str(k);
    writeValue(s, v);
  }
  const blobs = tensors.map(tensorBytes);
  let offset = 0;
  tensors.forEach((t, i) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`gguf: tensor "${t.name}" shape ${JSON.stringify(t.shape)} != ${t.data.length} values`);
    s.str(t.name);
    s.u32(t.shape.length);
    for (const d of [...t.shape].reverse()) s.u64(d);
    s.u32(GGML_TYPE[t.type]);
    s.u64(offset);
    offset += Math.ceil(blobs[i]!.length / GGUF_ALIGNMENT) * GGUF_ALIGNMENT;
  });
  s.pad(GGUF_ALIGNMENT);
  for (const b of blobs) {
    s.push(b);
    s.pad(GGUF_ALIGNMENT);
  }
  return s.concat();
}
