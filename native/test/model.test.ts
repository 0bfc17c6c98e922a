import { describe, expect, it } from 'vitest';
import { bitsEqual, engine, maxAbsDiff } from './helpers/engine.js';
import { referenceForward, toF64 } from './helpers/reference.js';
import { gpt2Spec, llamaSpec, randomWeights, tempDir, writeSafetensors, type SpecNoFiles } from './helpers/tinyModels.js';
import path from 'node:path';

function tokensFor(spec: SpecNoFiles, n: number, seed: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => (i * 7 + seed * 13 + 3) % spec.vocabSize);
}

const variants: [string, SpecNoFiles][] = [
  ['gpt2', gpt2Spec()],
  ['gpt2 with transformer. prefix-free untied head', gpt2Spec({ tieWordEmbeddings: false })],
  ['llama (GQA, qkv bias, llama3 rope scaling, untied head)', llamaSpec()],
  ['llama (tied embeddings as SmolLM, no bias, no scaling, MHA)', llamaSpec({ tieWordEmbeddings: true, attentionBias: false, ropeScaling: null, numKvHeads: 4 })],
];

describe('model forward', () => {
  for (const [name, spec] of variants) {
    const weights = randomWeights(spec, 5);
    const dir = tempDir('engine-model-');
    const file = path.join(dir, 'model.safetensors');
    writeSafetensors(file, weights);
    const model = new engine.Model({ ...spec, files: [file] });
    const B = 2, T = 9;
    const tok = tokensFor(spec, B * T, 1);

    it(`${name}: logits equal an f64 reference implementation (|diff| < 1e-4)`, () => {
      const got = model.forward(tok, B, T);
      const ref = referenceForward(spec, toF64(weights), tok, B, T);
      expect(maxAbsDiff(got, Float32Array.from(ref))).toBeLessThan(1e-4);
    });

    it(`${name}: KV-cache prefill + steps equal the full forward pass`, () => {
      const full = model.forward(tok, B, T);
      const V = spec.vocabSize;
      const s = new engine.Session(model, { batch: B, capacity: 16 });
      const pre = 4;
      const first = new Int32Array(B * pre);
      for (let b = 0; b < B; b++) first.set(tok.subarray(b * T, b * T + pre), b * pre);
      const all = s.prefill(first, { allLogits: true });
      for (let b = 0; b < B; b++)
        for (let t = 0; t < pre; t++)
          expect(maxAbsDiff(all.subarray((b * pre + t) * V, (b * pre + t + 1) * V), full.subarray((b * T + t) * V, (b * T + t + 1) * V))).toBeLessThan(1e-5);
      for (let t = pre; t < T; t++) {
        const step = s.step(Int32Array.from({ length: B }, (_, b) => tok[b * T + t]!));
        for (let b = 0; b < B; b++) expect(maxAbsDiff(step.subarray(b * V, (b + 1) * V), full.subarray((b * T + t) * V, (b * T + t + 1) * V))).toBeLessThan(1e-5);
      }
      expect(s.position).toBe(T);
      expect(() => s.prefill(new Int32Array(B * 8))).toThrow(/exceed the cache capacity 16/);
    });
  }

  it('sharded files and f16/bf16 files load the same weights', () => {
    const spec = llamaSpec();
    const weights = randomWeights(spec, 9);
    const dir = tempDir('engine-shard-');
    const names = Object.keys(weights);
    const shard = (i: number) => Object.fromEntries(names.filter((_, k) => k % 3 === i).map((n) => [n, weights[n]!]));
    const files = [0, 1, 2].map((i) => path.join(dir, `m-${i}.safetensors`));
    files.forEach((f, i) => writeSafetensors(f, shard(i)));
    const one = path.join(dir, 'one.safetensors');
    writeSafetensors(one, weights);
    const tok = tokensFor(spec, 12, 2);
    const a = new engine.Model({ ...spec, files: [one] }).forward(tok, 2, 6);
    const b = new engine.Model({ ...spec, files }).forward(tok, 2, 6);
    expect(bitsEqual(a, b)).toBe(true);
    // an f16 file equals an f32 file holding the same (f16-rounded) values, bit for bit
    for (const dtype of ['F16', 'BF16'] as const) {
      const low = path.join(dir, `${dtype}.safetensors`);
      writeSafetensors(low, weights, dtype);
      const rounded = engine.loadSafetensors(low).tensors;
      const back = path.join(dir, `${dtype}-as-f32.safetensors`);
      writeSafetensors(back, Object.fromEntries(Object.entries(rounded).map(([k, v]) => [k, { shape: v.shape, data: v.data }])));
      const x = new engine.Model({ ...spec, files: [low] }).forward(tok, 2, 6);
      const y = new engine.Model({ ...spec, files: [back] }).forward(tok, 2, 6);
      expect(bitsEqual(x, y)).toBe(true);
      expect(maxAbsDiff(x, a)).toBeLessThan(dtype === 'F16' ? 0.02 : 0.2);
    }
  });

  it('rejects token ids outside the vocabulary and overlong sequences', () => {
    const spec = gpt2Spec();
    const dir = tempDir('engine-bad-');
    const f = path.join(dir, 'm.safetensors');
    writeSafetensors(f, randomWeights(spec, 1));
    const m = new engine.Model({ ...spec, files: [f] });
    expect(() => m.forward(Int32Array.of(1, 99), 1, 2)).toThrowError(/token id 99 at index 1 is outside the vocabulary/);
    expect(() => m.forward(new Int32Array(40), 1, 40)).toThrowError(/exceeds maxPositions/);
    expect(() => m.forward(new Int32Array(3), 1, 2)).toThrowError(/3 elements, expected 2/);
  });
});
