// Gradient store round trips through the real mapping: f32 exact, f16 within one rounding,
// native dot() against a plain JS loop, and damaged files rejected with a clear error.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { writeGradientStore } from '../writeGradientStore';
import { openGradientStore } from '../openGradientStore';
import { GradientStoreFormatError } from '../gradientStoreFormat';
import { loadNativeEngine } from '../../native/index';

const tmp = makeTmpDir('gradstore');
afterAll(tmp.cleanup);

const FP = 'ab'.repeat(32);

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 4;
  });
}

/** The reference: Σ_j row[j]·q[j] in double, then rounded once to f32. */
function jsDot(m: Float32Array, rows: number, k: number, q: Float32Array): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += m[r * k + j]! * q[j]!;
    out[r] = s;
  }
  return out;
}

describe('gradient store', () => {
  const rows = 7, k = 33;
  const m = random(rows * k, 1);
  const ids = ['1', 'record-β', '', '4', 'five', '6', 'seven ✓'];

  it('round-trips f32 exactly, with zero-copy rows, metadata and ids', () => {
    const file = join(tmp.dir, 'a.sgrd');
    writeGradientStore(file, { matrix: m, k, ids, seed: 2n ** 63n + 5n, fingerprint: FP });
    const s = openGradientStore(file);
    expect([s.rows, s.k, s.dtype, s.seed, s.fingerprint]).toEqual([rows, k, 'f32', 2n ** 63n + 5n, FP]);
    expect(s.ids).toEqual(ids);
    for (let i = 0; i < rows; i++) expect(Array.from(s.row(i))).toEqual(Array.from(m.subarray(i * k, (i + 1) * k)));
    expect(s.row(0).buffer.byteLength).toBe(readFileSync(file).length); // a view of the whole mapping
    expect(() => s.row(rows)).toThrow(/row 7 is outside/);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('round-trips f16 within half a unit in the last place', () => {
    const file = join(tmp.dir, 'h.sgrd');
    writeGradientStore(file, { matrix: m, k, ids, dtype: 'f16', seed: 3, fingerprint: FP });
    const s = openGradientStore(file);
    expect(s.dtype).toBe('f16');
    for (let i = 0; i < rows; i++) {
      const r = s.row(i);
      // |x| < 2: the f16 spacing is <= 2^-10 there, so rounding moves a value by at most 2^-11.
      for (let j = 0; j < k; j++) expect(Math.abs(r[j]! - m[i * k + j]!)).toBeLessThanOrEqual(2 ** -11 + 1e-9);
    }
  });

  it('dot equals a plain JS loop (f32 and f16)', () => {
    const q = random(k, 9);
    const a = openGradientStore(join(tmp.dir, 'a.sgrd'));
    const ref = jsDot(m, rows, k, q);
    expect(Array.from(a.dot(q))).toEqual(Array.from(ref));
    const h = openGradientStore(join(tmp.dir, 'h.sgrd'));
    const widened = new Float32Array(rows * k);
    for (let i = 0; i < rows; i++) widened.set(h.row(i), i * k);
    expect(Array.from(h.dot(q))).toEqual(Array.from(jsDot(widened, rows, k, q)));
    expect(() => a.dot(new Float32Array(k + 1))).toThrow(/length k = 33/);
  });

  it('handles zero rows', () => {
    const file = join(tmp.dir, 'empty.sgrd');
    writeGradientStore(file, { matrix: new Float32Array(0), k: 4, ids: [], seed: 0, fingerprint: FP });
    const s = openGradientStore(file);
    expect([s.rows, s.ids.length, s.dot(new Float32Array(4)).length]).toEqual([0, 0, 0]);
  });

  describe('damaged files give clear errors', () => {
    const good = () => {
      const file = join(tmp.dir, 'good.sgrd');
      writeGradientStore(file, { matrix: m, k, ids, seed: 1, fingerprint: FP });
      return readFileSync(file);
    };
    const expectBad = (bytes: Uint8Array, msg: RegExp) => {
      const file = join(tmp.dir, 'bad.sgrd');
      writeFileSync(file, bytes);
      expect(() => openGradientStore(file)).toThrow(msg);
      try {
        openGradientStore(file);
      } catch (e) {
        expect((e as Error).message).toContain(file);
      }
    };
    it('bad magic', () => {
      const b = good();
      b.write('NOPE', 0, 'latin1');
      expectBad(b, /bad magic "NOPE"/);
    });
    it('file smaller than the header', () => expectBad(good().subarray(0, 50), /smaller than the 96-byte header/));
    it('rows x k beyond the file', () => {
      const b = good();
      b.writeBigUint64LE(1000n, 16);
      expectBad(b, /matrix ends at byte .* beyond the/);
    });
    it('truncated matrix', () => expectBad(good().subarray(0, 200), /beyond the 200-byte file/));
    it('huge offsets and rows', () => {
      const b = good();
      b.writeBigUint64LE(2n ** 62n, 64);
      expectBad(b, /dataOffset = .* is beyond/);
      const c = good();
      c.writeBigUint64LE(2n ** 40n, 16);
      expectBad(c, /rows = .* is too large/);
    });
    it('bad k, dtype, version, id offsets', () => {
      const b = good();
      b.writeUint32LE(0, 12);
      expectBad(b, /k = 0/);
      const c = good();
      c.writeUint32LE(7, 8);
      expectBad(c, /unknown dtype code 7/);
      const d = good();
      d.writeUint32LE(2, 4);
      expectBad(d, /unsupported version 2/);
      const e = good();
      const idsOffset = Number(e.readBigUint64LE(72));
      e.writeBigUint64LE(3n, idsOffset + 8 * 3);
      e.writeBigUint64LE(1n, idsOffset + 8 * 4);
      expectBad(e, /out of order/);
    });
    it('an empty file and a missing file', () => {
      expectBad(new Uint8Array(0), /is empty/);
      expect(() => openGradientStore(join(tmp.dir, 'missing.sgrd'))).toThrow(/cannot open .*missing\.sgrd/);
    });
    it('random byte corruption and truncation: a format error or a store that reads in bounds', () => {
      const base = good();
      let s = 12345;
      const next = (n: number) => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % n);
      let rejected = 0;
      for (let t = 0; t < 300; t++) {
        let b = Buffer.from(base);
        // mostly the header and id table, where a bad value could point outside the file
        for (let m = 0; m < 1 + next(4); m++) {
          const at = next(3) === 0 ? next(b.length) : next(3) === 0 ? Number(base.readBigUint64LE(72)) + next(64) : next(96);
          b[at] = next(256);
        }
        if (next(4) === 0) b = b.subarray(0, next(b.length) + 1);
        const file = join(tmp.dir, `fuzz-${t}.sgrd`); // fresh names: never truncate a file a live mapping still covers
        writeFileSync(file, b);
        try {
          const st = openGradientStore(file);
          for (let i = 0; i < st.rows; i++) st.row(i);
          st.dot(new Float32Array(st.k));
        } catch (e) {
          expect(e).toBeInstanceOf(GradientStoreFormatError);
          rejected++;
        }
      }
      expect(rejected).toBeGreaterThan(50);
    });
    it('native calls refuse ranges outside the buffer', () => {
      const e = loadNativeEngine();
      const buf = new ArrayBuffer(64);
      expect(() => e.gradientDot(buf, 0, 5, 4, 'f32', new Float32Array(4))).toThrow(/outside the 64-byte buffer/);
      expect(() => e.gradientDot(buf, 2, 1, 4, 'f32', new Float32Array(4))).toThrow(/not aligned/);
      expect(() => e.fromF16(buf, 60, 4)).toThrow(/outside/);
      expect(() => e.gradientDot(buf, 0, 1, 4, 'f64' as 'f32', new Float32Array(4))).toThrow(/dtype/);
    });
  });
});
