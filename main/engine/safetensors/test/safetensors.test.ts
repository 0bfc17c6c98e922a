import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { encodeSafetensors, writeSafetensors } from '../writeSafetensors';
import { SafetensorsFile } from '../SafetensorsFile';
import { SafetensorsError } from '../SafetensorsError';
import { openModelWeights } from '../openModelWeights';
import { writeShardedSafetensors } from '../writeShardedSafetensors';
import { bf16BitsToF32, f16BitsToF32, f32ToBf16Bits, f32ToF16Bits } from '../convertDtype';

const tmp = makeTmpDir('st');
afterAll(tmp.cleanup);

/** A file with a hand-written header, to produce exactly the corruption under test. */
function rawFile(name: string, header: unknown, dataBytes: number, lengthOverride?: bigint): string {
  const json = Buffer.from(JSON.stringify(header));
  const buf = Buffer.alloc(8 + json.length + dataBytes);
  buf.writeBigUInt64LE(lengthOverride ?? BigInt(json.length), 0);
  json.copy(buf, 8);
  const p = join(tmp.dir, name);
  writeFileSync(p, buf);
  return p;
}

function expectError(path: string, code: string, mentions: string[]) {
  try {
    SafetensorsFile.open(path);
  } catch (e) {
    expect(e).toBeInstanceOf(SafetensorsError);
    expect((e as SafetensorsError).code).toBe(code);
    for (const m of mentions) expect((e as Error).message).toContain(m);
    return;
  }
  throw new Error(`expected ${code} for ${path}`);
}

describe('float conversions', () => {
  it('f16 round-trips every finite half exactly', () => {
    for (let h = 0; h < 0x10000; h++) {
      const e = (h >>> 10) & 0x1f;
      if (e === 0x1f) continue;
      expect(f32ToF16Bits(f16BitsToF32(h))).toBe(h);
    }
  });
  it('f16 rounds to nearest even and saturates to infinity', () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // halfway, even stays
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // halfway, rounds up to even
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f32ToF16Bits(2 ** -25)).toBe(0); // halfway to the smallest subnormal: even is 0
    expect(f32ToF16Bits(2 ** -24)).toBe(1);
    expect(Number.isNaN(f16BitsToF32(f32ToF16Bits(NaN)))).toBe(true);
    expect(f16BitsToF32(0xfc00)).toBe(-Infinity);
  });
  it('bf16 rounds to nearest even', () => {
    expect(f32ToBf16Bits(1)).toBe(0x3f80);
    expect(bf16BitsToF32(0x3f80)).toBe(1);
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 2 ** -8))).toBe(1); // halfway, even stays
    expect(bf16BitsToF32(f32ToBf16Bits(1 + 3 * 2 ** -8))).toBe(1 + 2 ** -6);
    expect(Number.isNaN(bf16BitsToF32(f32ToBf16Bits(NaN)))).toBe(true);
  });
});

describe('write and read', () => {
  const tensors = {
    'b.weight': { shape: [2, 3], data: Float32Array.from([1, -2, 3.5, 0.1, 1e-3, -7]) },
    'a.bias': { shape: [3], data: Float32Array.from([0.5, 0.25, -0.125]) },
  };
  it.each(['F32', 'F16', 'BF16'] as const)('round-trips %s with metadata', (dtype) => {
    const p = join(tmp.dir, `rt-${dtype}.safetensors`);
    writeSafetensors(p, tensors, { dtype, metadata: { format: 'pt' } });
    const f = SafetensorsFile.open(p);
    expect(f.metadata).toEqual({ format: 'pt' });
    expect(f.entry('b.weight').dtype).toBe(dtype);
    const b = f.readTensor('b.weight');
    expect(b.shape).toEqual([2, 3]);
    const tol = dtype === 'F32' ? 0 : dtype === 'F16' ? 1e-3 : 1e-2;
    b.data.forEach((v, i) => expect(Math.abs(v - tensors['b.weight'].data[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(v))));
    expect([...f.readTensor('a.bias').data]).toEqual([0.5, 0.25, -0.125]);
  });
  it.each(['F32', 'F16', 'BF16'] as const)('readTensors (one open, F32 read in place) gives what readTensor gives, %s', (dtype) => {
    const p = join(tmp.dir, `many-${dtype}.safetensors`);
    writeSafetensors(p, tensors, { dtype });
    const f = SafetensorsFile.open(p);
    const all = f.readTensors(['a.bias', 'b.weight']);
    expect([...all.keys()]).toEqual(['a.bias', 'b.weight']);
    for (const name of ['a.bias', 'b.weight']) {
      const one = f.readTensor(name);
      expect(all.get(name)!.shape).toEqual(one.shape);
      expect(Buffer.from(all.get(name)!.data.buffer).equals(Buffer.from(one.data.buffer))).toBe(true);
    }
    expect(() => f.readTensors(['a.bias', 'missing'])).toThrow(/missing/);
  });
  it('pads the header to 8 bytes', () => {
    const bytes = encodeSafetensors(tensors);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
  });
});

describe('bad files name the file and tensor', () => {
  const ok = { t: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  it('rejects a file shorter than the length field', () => {
    const p = join(tmp.dir, 'tiny.safetensors');
    writeFileSync(p, Buffer.from([1, 2, 3]));
    expectError(p, 'file_too_small', ['tiny.safetensors']);
  });
  it('rejects a header length past the end of file', () => {
    expectError(rawFile('len.safetensors', ok, 8, 10_000n), 'header_length', ['len.safetensors', '10000']);
  });
  it('rejects a huge header length', () => {
    expectError(rawFile('huge.safetensors', ok, 8, 1n << 40n), 'header_length', ['huge.safetensors']);
  });
  it('rejects a header that is not JSON', () => {
    const p = join(tmp.dir, 'json.safetensors');
    const buf = Buffer.alloc(8 + 4);
    buf.writeBigUInt64LE(4n, 0);
    buf.write('nope', 8);
    writeFileSync(p, buf);
    expectError(p, 'header_json', ['json.safetensors']);
  });
  it('rejects offsets out of bounds', () => {
    expectError(rawFile('oob.safetensors', { t: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), 'offsets_out_of_bounds', ['oob.safetensors', '"t"']);
  });
  it('rejects overlapping tensors', () => {
    const h = { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } };
    expectError(rawFile('overlap.safetensors', h, 12), 'offsets_overlap', ['overlap.safetensors', '"b"', '"a"']);
  });
  it('rejects a gap and trailing bytes', () => {
    expectError(rawFile('gap.safetensors', { a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8), 'offsets_gap', ['"a"']);
    expectError(rawFile('trail.safetensors', ok, 12), 'trailing_bytes', ['trail.safetensors']);
  });
  it('rejects a dtype/shape size mismatch and unknown dtypes', () => {
    expectError(rawFile('mismatch.safetensors', { w: { dtype: 'F16', shape: [2, 3], data_offsets: [0, 8] } }, 8), 'size_mismatch', ['"w"', '12 bytes']);
    expectError(rawFile('dtype.safetensors', { w: { dtype: 'Q4', shape: [2], data_offsets: [0, 8] } }, 8), 'dtype', ['"w"', 'Q4']);
    expectError(rawFile('shape.safetensors', { w: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, 8), 'shape', ['"w"']);
  });
});

describe('sharded index', () => {
  it('resolves tensors across shards and checks the index', () => {
    const dir = join(tmp.dir, 'sharded');
    mkdirSync(dir);
    const ts = new Map<string, { shape: number[]; data: Float32Array }>();
    for (let i = 0; i < 5; i++) ts.set(`layer.${i}.w`, { shape: [4], data: Float32Array.from([i, i + 1, i + 2, i + 3]) });
    const files = writeShardedSafetensors(dir, ts, 40);
    expect(files.length).toBeGreaterThan(1);
    const w = openModelWeights(dir);
    expect(w.names().sort()).toEqual([...ts.keys()].sort());
    expect([...w.get('layer.3.w').data]).toEqual([3, 4, 5, 6]);
    // An index pointing a tensor at the wrong shard is an error naming the tensor.
    const idxPath = join(dir, 'model.safetensors.index.json');
    const idx = JSON.parse(readFileSync(idxPath, 'utf8'));
    idx.weight_map['layer.0.w'] = files[files.length - 1];
    writeFileSync(idxPath, JSON.stringify(idx));
    expect(() => openModelWeights(dir)).toThrow(/layer\.0\.w/);
  });
});
