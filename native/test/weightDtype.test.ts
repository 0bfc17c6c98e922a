import { afterAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { bitsEqual, engine, maxAbsDiff } from './helpers/engine.js';
import { gpt2Spec, llamaSpec, randn, randomWeights, rng, tempDir, toBf16, toF16, writeSafetensors, type SpecNoFiles, type TensorIn } from './helpers/tinyModels.js';
import type { GemmOptions, NativeModelSpec } from '../../main/engine/native/index.js';

// Frozen weights kept in f16/bf16 (weightDtype) and the panel layout the model stores them in.
// Widening f16/bf16 to f32 is exact, so every product with a reduced-precision weight must equal
// the f32 product with the rounded values bit for bit; only the rounding itself (f32 file loaded
// as f16/bf16) moves the logits, bounded below.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 0x1f, m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}
function bf16ToNumber(h: number): number {
  u32[0] = h << 16;
  return f32[0]!;
}
function rounded(a: Float32Array, d: 'f32' | 'f16' | 'bf16'): Float32Array {
  if (d === 'f32') return a;
  return Float32Array.from(a, (x) => (d === 'f16' ? halfToNumber(toF16(x)) : bf16ToNumber(toBf16(x))));
}
// What weightDtype rounds: the weight matrices (embeddings, linear layers, LM head); norms,
// biases and GPT-2's learned positions stay f32.
function roundedWeights(w: Record<string, TensorIn>, d: 'f16' | 'bf16'): Record<string, TensorIn> {
  const frozenMatrix = (k: string, v: TensorIn) => v.shape.length === 2 && !k.includes('wpe');
  return Object.fromEntries(Object.entries(w).map(([k, v]) => [k, { shape: v.shape, data: frozenMatrix(k, v) ? rounded(v.data, d) : v.data }]));
}
function modelFile(dir: string, name: string, w: Record<string, TensorIn>, dtype: 'F32' | 'F16' | 'BF16' = 'F32'): string {
  const f = path.join(dir, name);
  writeSafetensors(f, w, dtype);
  return f;
}
const dtypes = ['f32', 'f16', 'bf16'] as const;

describe('gemm with a frozen weight (bDtype)', () => {
  const threads = engine.getThreads();
  afterAll(() => engine.setThreads(threads));
  const r = rng(21);
  it('equals plain sgemm on the widened values, bit for bit, for every kernel, row count and transpose', () => {
    const N = 140, K = 520; // 3 k-blocks; N not a multiple of the 16-row panels
    const B = randn(r, K * N, 1);
    for (const d of dtypes) {
      const Bd = rounded(B, d);
      for (const kernel of engine.gemmKernels() as NonNullable<GemmOptions['kernel']>[])
        for (const M of [1, 2, 3, 4, 5, 40])
          for (const transB of [true, false])
            for (const beta of [0, 0.5]) {
              const A = randn(r, M * K, 1), C = randn(r, M * N, 1);
              const o = { transA: false, transB, M, N, K, alpha: 0.7, beta, A, C, kernel };
              const got = engine.gemm({ ...o, B, bDtype: d });
              const want = engine.gemm({ ...o, B: Bd });
              expect(bitsEqual(got, want), `${kernel} ${d} M ${M} transB ${transB} beta ${beta}`).toBe(true);
            }
    }
  });

  it('decodes a row alone bit-identically to the same row in a batch, on 1 and 2 threads', () => {
    const M = 9, N = 130, K = 520;
    const A = randn(r, M * K, 1), B = randn(r, N * K, 1);
    for (const d of dtypes) {
      engine.setThreads(2);
      const all = engine.gemm({ transA: false, transB: true, M, N, K, A, B, bDtype: d });
      for (const t of [1, 2]) {
        engine.setThreads(t);
        const row = engine.gemm({ transA: false, transB: true, M: 1, N, K, A: A.subarray(4 * K, 5 * K), B, bDtype: d });
        expect(bitsEqual(row, all.subarray(4 * N, 5 * N)), `${d} threads ${t}`).toBe(true);
      }
    }
  });

  it('rejects an unknown bDtype', () => {
    expect(() => engine.gemm({ transA: false, transB: true, M: 1, N: 2, K: 2, A: new Float32Array(2), B: new Float32Array(4), bDtype: 'f8' as never })).toThrow(/bDtype must be/);
  });
});

describe('models with reduced-precision weights (weightDtype)', () => {
  const threads = engine.getThreads();
  afterAll(() => engine.setThreads(threads));
  const variants: [string, SpecNoFiles][] = [['gpt2', gpt2Spec()], ['llama', llamaSpec()]];
  for (const [name, spec] of variants) {
    const dir = tempDir('engine-wdtype-');
    const weights = randomWeights(spec, 13);
    const f32File = modelFile(dir, 'f32.safetensors', weights);
    const B = 2, T = 7;
    const tok = Int32Array.from({ length: B * T }, (_, i) => (i * 5 + 3) % spec.vocabSize);
    const make = (files: string[], weightDtype?: NativeModelSpec['weightDtype']) => new engine.Model({ ...spec, files, ...(weightDtype ? { weightDtype } : {}) });

    for (const d of ['f16', 'bf16'] as const) {
      const low = modelFile(dir, `${d}.safetensors`, weights, d === 'f16' ? 'F16' : 'BF16');
      const roundedF32 = modelFile(dir, `${d}-rounded-f32.safetensors`, roundedWeights(weights, d));
      // every tensor rounded, as an f16/bf16 file holds it
      const allRounded = modelFile(dir, `${d}-all-rounded-f32.safetensors`, Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, { shape: v.shape, data: rounded(v.data, d) }])));

      it(`${name}: an ${d} file stays ${d} in memory (half the weight bytes) with the logits of its values in f32, bit for bit`, () => {
        const kept = make([low]);
        const widened = make([low], 'f32');
        expect(bitsEqual(kept.forward(tok, B, T), widened.forward(tok, B, T))).toBe(true);
        expect(bitsEqual(kept.forward(tok, B, T), make([allRounded]).forward(tok, B, T))).toBe(true);
        const info = kept.info() as ReturnType<typeof kept.info> & { weightBytes: number };
        const full = widened.info() as typeof info;
        expect(info.weightBytes).toBeLessThan(0.6 * full.weightBytes);
      });

      it(`${name}: an f32 file loaded as ${d} equals the rounded model bit for bit and the f32 model within the rounding`, () => {
        const asked = make([f32File], d).forward(tok, B, T);
        expect(bitsEqual(asked, make([roundedF32]).forward(tok, B, T))).toBe(true);
        // weights ~N(0, 0.2): relative rounding 2^-11 (f16) / 2^-8 (bf16) per weight
        expect(maxAbsDiff(asked, make([f32File]).forward(tok, B, T))).toBeLessThan(d === 'f16' ? 0.02 : 0.2);
      });

      it(`${name}: ${d} decoding (KV cache, 1 and 2 threads) equals the full forward pass bit for bit`, () => {
        const m = make([low]);
        engine.setThreads(2);
        const full = m.forward(tok, B, T);
        const V = spec.vocabSize;
        for (const t of [1, 2]) {
          engine.setThreads(t);
          const s = new engine.Session(m, { batch: B, capacity: 16 });
          const pre = 3;
          const first = new Int32Array(B * pre);
          for (let b = 0; b < B; b++) first.set(tok.subarray(b * T, b * T + pre), b * pre);
          s.prefill(first);
          for (let p = pre; p < T; p++) {
            const step = s.step(Int32Array.from({ length: B }, (_, b) => tok[b * T + p]!));
            for (let b = 0; b < B; b++) expect(bitsEqual(step.subarray(b * V, (b + 1) * V), full.subarray((b * T + p) * V, (b * T + p + 1) * V))).toBe(true);
          }
        }
      });

      it(`${name}: LoRA gradients through ${d} weights equal those through the rounded f32 weights, bit for bit`, () => {
        const targets = Int32Array.from(tok, (_, i) => tok[(i + 1) % tok.length]!);
        const grads = (m: ReturnType<typeof make>) => {
          m.addLora({ targets: spec.arch === 'gpt2' ? ['c_attn', 'c_proj', 'c_fc'] : ['q', 'k', 'v', 'o', 'gate', 'up', 'down'], rank: 4, alpha: 8, seed: 3 });
          // B = 0 at init would hide the path through the base weights' transposes: set B
          const t = m.getLoraTensors();
          const set: Record<string, Float32Array> = {};
          const r2 = rng(5);
          for (const [k, v] of Object.entries(t)) set[k] = k.includes('lora_B') ? randn(r2, v.data.length, 0.1) : v.data;
          m.setLoraTensors(set);
          const loss = m.forwardBackward({ tokens: tok, targets, batch: B, seq: T }).loss;
          return { loss, g: m.getLoraGrads() };
        };
        const a = grads(make([low])), b = grads(make([allRounded]));
        expect(a.loss).toBe(b.loss);
        for (const k of Object.keys(a.g)) expect(bitsEqual(a.g[k]!.data, b.g[k]!.data), k).toBe(true);
      });
    }

    it(`${name}: rejects an unknown weightDtype`, () => {
      expect(() => make([f32File], 'f8' as never)).toThrow(/weightDtype/);
    });
  }
});
