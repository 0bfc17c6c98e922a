import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine } from './helpers/engine.js';
import { gpt2Spec, randn, rng, safetensorsBytes, tempDir, writeSafetensors, writeTinyModel } from './helpers/tinyModels.js';

const dir = tempDir('engine-st-');

function writeRaw(name: string, header: unknown, dataBytes: number, headerLenOverride?: number): string {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(headerLenOverride ?? json.length));
  const file = path.join(dir, name);
  writeFileSync(file, Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
  return file;
}

describe('safetensors reader', () => {
  const r = rng(7);
  const a = randn(r, 6 * 5, 3);
  a[0] = 65504; // f16 max
  a[1] = 1e-6; // f16 subnormal
  a[2] = -0;
  const tensors = { a: { shape: [6, 5], data: a }, s: { shape: [], data: Float32Array.of(1.5) }, e: { shape: [0, 3], data: new Float32Array(0) } };

  it('loads f32 exactly, with metadata', () => {
    const f = path.join(dir, 'f32.safetensors');
    writeSafetensors(f, tensors, 'F32');
    const out = engine.loadSafetensors(f);
    expect(out.metadata).toEqual({ format: 'pt' });
    expect(out.tensors['a']!.shape).toEqual([6, 5]);
    expect(Array.from(out.tensors['a']!.data)).toEqual(Array.from(a));
    expect(out.tensors['s']!.shape).toEqual([]);
    expect(out.tensors['e']!.data.length).toBe(0);
  });

  it('loads f16 and bf16 equal to the f32 source within rounding', () => {
    for (const [dtype, relTol] of [['F16', 2 ** -11], ['BF16', 2 ** -8]] as const) {
      const f = path.join(dir, `${dtype}.safetensors`);
      writeSafetensors(f, tensors, dtype);
      const out = engine.loadSafetensors(f);
      expect(out.tensors['a']!.dtype).toBe(dtype);
      const got = out.tensors['a']!.data;
      for (let i = 0; i < a.length; i++) {
        const x = a[i]!;
        // half an ulp relative; f16 subnormals have a fixed absolute step of 2^-24
        const tol = Math.abs(x) * relTol + (dtype === 'F16' ? 2 ** -25 : 0);
        expect(Math.abs(got[i]! - x)).toBeLessThanOrEqual(tol);
      }
    }
  });

  const bad: [string, () => string, RegExp][] = [
    ['file shorter than 8 bytes', () => { const f = path.join(dir, 'short'); writeFileSync(f, Buffer.alloc(5)); return f; }, /too short/],
    ['header length beyond the file', () => writeRaw('hl.st', { a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 4, 10_000), /header length 10000 exceeds file size/],
    ['invalid JSON', () => writeRaw('json.st', '{"a": {"dtype": "F32",', 0), /invalid JSON header/],
    ['unsupported dtype', () => writeRaw('dt.st', { w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, 8), /tensor 'w': field 'dtype': unsupported dtype 'I64'/],
    ['shape x dtype != byte range', () => writeRaw('sh.st', { w: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, 16), /tensor 'w': shape x dtype size = 16 bytes but data_offsets span 12/],
    ['offsets beyond the data', () => writeRaw('oob.st', { w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, 8), /tensor 'w': field 'data_offsets': end 16 beyond data section of 8 bytes/],
    ['overlapping tensors', () => writeRaw('ov.st', { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } }, 12), /tensor 'y': field 'data_offsets' overlaps tensor 'x'/],
    ['negative dimension', () => writeRaw('neg.st', { w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4), /tensor 'w': field 'shape'/],
    ['missing shape', () => writeRaw('ms.st', { w: { dtype: 'F32', data_offsets: [0, 4] } }, 4), /tensor 'w': field 'shape' missing/],
    ['begin after end', () => writeRaw('be.st', { w: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, 4), /begin > end/],
  ];
  for (const [what, make, msg] of bad) {
    it(`rejects ${what} with an error naming the file and field`, () => {
      const f = make();
      expect(() => engine.loadSafetensors(f)).toThrowError(msg);
      expect(() => engine.loadSafetensors(f)).toThrowError(f);
    });
  }

  it('rejects every truncation of a valid file without crashing', () => {
    const bytes = safetensorsBytes(tensors, 'F16');
    const f = path.join(dir, 'trunc.st');
    for (let n = 0; n < bytes.length; n += 3) {
      writeFileSync(f, bytes.subarray(0, n));
      expect(() => engine.loadSafetensors(f)).toThrow(/safetensors file/);
    }
  });

  it('model loading names a missing or mis-shaped tensor, and rejects unknown architectures', () => {
    const spec = writeTinyModel(gpt2Spec(), 1);
    expect(() => new engine.Model({ ...spec, numLayers: 3 })).toThrowError(/tensor 'h.2.ln_1.weight' is missing/);
    expect(() => new engine.Model({ ...spec, intermediateSize: 32 })).toThrowError(/tensor 'h.0.mlp.c_fc.weight' has shape \[16,64\], expected \[16,32\]/);
    expect(() => new engine.Model({ ...spec, arch: 'mamba' as 'gpt2' })).toThrowError(/unknown architecture 'mamba'/);
    expect(() => new engine.Model({ ...spec, files: [path.join(dir, 'nope.safetensors')] })).toThrowError(/cannot open file/);
  });
});
