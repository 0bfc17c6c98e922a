// Bit-exact conversions between float32 and the 16-bit float formats, round-to-nearest-even as
// PyTorch's `.to(torch.float16 / torch.bfloat16)` does, so weights we write equal torch's.
import { SafetensorsError } from './SafetensorsError';
import type { Dtype, FloatDtype } from './dtype';

const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

const scratchF32 = new Float32Array(1);
const scratchU32 = new Uint32Array(scratchF32.buffer);

export function f32ToF16Bits(v: number): number {
  scratchF32[0] = v;
  const x = scratchU32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal half: value = m * 2^-24 with m = M * 2^(e - 14), M the 24-bit significand.
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && (half & 1) === 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  // A carry out of the mantissa bumps the exponent, up to infinity: still correct rounding.
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1) === 1)) half++;
  return sign | half;
}

export function f16BitsToF32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return sign * m * 2 ** -24;
  if (e === 0x1f) return m !== 0 ? NaN : sign * Infinity;
  scratchU32[0] = ((h & 0x8000) << 16) | ((e + 112) << 23) | (m << 13);
  return scratchF32[0]!;
}

export function f32ToBf16Bits(v: number): number {
  scratchF32[0] = v;
  const x = scratchU32[0]!;
  if ((x & 0x7f800000) === 0x7f800000 && (x & 0x7fffff) !== 0) return ((x >>> 16) | 0x40) & 0xffff;
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

export function bf16BitsToF32(b: number): number {
  scratchU32[0] = (b & 0xffff) << 16;
  return scratchF32[0]!;
}

/** Round a float32 array through a 16-bit format and back (what saving in that dtype does). */
export function roundTripFloat(data: Float32Array, dtype: FloatDtype): Float32Array {
  if (dtype === 'F32') return data;
  return decodeToFloat32(encodeFromFloat32(data, dtype), dtype, 'memory');
}

/** Little-endian bytes of `dtype` -> float32 values. Integer dtypes convert by value. */
export function decodeToFloat32(bytes: Uint8Array, dtype: Dtype, file: string, tensor?: string): Float32Array {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case 'F32': {
      // Little-endian hosts (every platform the app ships on) copy bytes straight across.
      if (LITTLE_ENDIAN) return new Float32Array(bytes.slice().buffer);
      const out = new Float32Array(bytes.byteLength / 4);
      for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(bytes.byteLength / 2);
      for (let i = 0; i < out.length; i++) out[i] = f16BitsToF32(dv.getUint16(i * 2, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(bytes.byteLength / 2);
      for (let i = 0; i < out.length; i++) out[i] = bf16BitsToF32(dv.getUint16(i * 2, true));
      return out;
    }
    case 'F64': {
      const out = new Float32Array(bytes.byteLength / 8);
      for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(i * 8, true);
      return out;
    }
    case 'I64': {
      const out = new Float32Array(bytes.byteLength / 8);
      for (let i = 0; i < out.length; i++) out[i] = Number(dv.getBigInt64(i * 8, true));
      return out;
    }
    case 'I32': {
      const out = new Float32Array(bytes.byteLength / 4);
      for (let i = 0; i < out.length; i++) out[i] = dv.getInt32(i * 4, true);
      return out;
    }
    case 'U8':
    case 'BOOL':
      return Float32Array.from(bytes);
    case 'I8':
      return Float32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    default:
      throw new SafetensorsError('dtype', file, `cannot convert dtype ${dtype} to float32`, tensor);
  }
}

/** float32 values -> little-endian bytes of `dtype`. */
export function encodeFromFloat32(data: Float32Array, dtype: FloatDtype): Uint8Array {
  if (dtype === 'F32' && LITTLE_ENDIAN) return new Uint8Array(data.slice().buffer);
  const width = dtype === 'F32' ? 4 : 2;
  const out = new Uint8Array(data.length * width);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (dtype === 'F32') dv.setFloat32(i * 4, v, true);
    else if (dtype === 'F16') dv.setUint16(i * 2, f32ToF16Bits(v), true);
    else dv.setUint16(i * 2, f32ToBf16Bits(v), true);
  }
  return out;
}
