// The native f16 conversions the gradient store uses (a fast path over whole matrices) against
// the plain TypeScript reference in safetensors/convertDtype.ts: same bits, value by value.
import { describe, expect, it } from 'vitest';
import { loadNativeEngine } from '../../native/index';
import { f16BitsToF32, f32ToF16Bits } from '../../safetensors/convertDtype';

describe('native f16 conversion vs the TypeScript reference', () => {
  const engine = loadNativeEngine();

  it('rounds f32 to f16 bits exactly as the reference does, subnormals and overflow included', () => {
    const values: number[] = [0, -0, 1, -1, 0.1, 65504, 65520, 1e6, -1e6, Infinity, -Infinity, 6.1e-5, 5.96e-8, 2.98e-8, 3e-8, 1e-10];
    let s = 12345;
    const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 20000; i++) values.push((rnd() - 0.5) * 2 ** Math.floor(rnd() * 40 - 26));
    const input = Float32Array.from(values);
    const native = engine.toF16(input);
    const reference = Uint16Array.from(input, (v) => f32ToF16Bits(v));
    expect(Array.from(native)).toEqual(Array.from(reference));
  });

  it('widens every f16 bit pattern but NaNs exactly as the reference does', () => {
    const bits = new Uint16Array(65536).map((_, i) => i);
    const native = engine.fromF16(bits.buffer, 0, bits.length);
    for (let h = 0; h < 65536; h++) {
      const ref = f16BitsToF32(h);
      if (Number.isNaN(ref)) expect(Number.isNaN(native[h]!)).toBe(true);
      else expect(Object.is(native[h], ref), `bits 0x${h.toString(16)}`).toBe(true);
    }
  });
});
