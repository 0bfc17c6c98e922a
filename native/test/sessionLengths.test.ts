// Batched decoding of prompts of different lengths (left padding, per-row positions) against
// each prompt decoded alone in a batch-1 session.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { bitsEqual, engine, maxAbsDiff } from './helpers/engine.js';
import { gpt2Spec, llamaSpec, randomWeights, tempDir, writeSafetensors, type SpecNoFiles } from './helpers/tinyModels.js';

const variants: [string, SpecNoFiles][] = [
  ['gpt2', gpt2Spec()],
  ['llama (GQA, qkv bias, llama3 rope scaling)', llamaSpec()],
];

// Tolerance 1e-5 (the same as KV cache vs full forward); every row is also checked for
// bit-identity, since a padded row's products skip its padding rather than adding zeros.
const TOLERANCE = 1e-5;

describe('Session prefill with per-row lengths', () => {
  for (const [name, spec] of variants) {
    const dir = tempDir('engine-lengths-');
    const file = path.join(dir, 'model.safetensors');
    writeSafetensors(file, randomWeights(spec, 11));
    const model = new engine.Model({ ...spec, files: [file] });
    const V = spec.vocabSize;
    const prompts = [[5, 9, 2, 7, 1, 3, 8], [4], [6, 6, 2], [1, 2, 3, 4, 5, 6, 7]].map((p) => p.map((t) => t % V));
    const steps = [[3, 7, 1, 9], [2, 2, 5, 4], [8, 1, 1, 0], [0, 4, 6, 2]];
    const B = prompts.length;
    const n = Math.max(...prompts.map((p) => p.length));

    it(`${name}: each row of an uneven batch equals its prompt decoded alone (prefill + ${steps[0]!.length} steps)`, () => {
      const s = new engine.Session(model, { batch: B, capacity: 16 });
      const tok = new Int32Array(B * n).fill(V - 1); // padding ids are arbitrary: masked out
      prompts.forEach((p, b) => tok.set(p, b * n + n - p.length));
      const lengths = Int32Array.from(prompts, (p) => p.length);
      const batched = [s.prefill(tok, { lengths })];
      for (let k = 0; k < steps[0]!.length; k++) batched.push(s.step(Int32Array.from(steps, (r) => r[k]!)));
      expect(s.position).toBe(n + steps[0]!.length);
      let identical = true;
      prompts.forEach((p, b) => {
        const one = new engine.Session(model, { batch: 1, capacity: 16 });
        const alone = [one.prefill(Int32Array.from(p))];
        for (const t of steps[b]!) alone.push(one.step(Int32Array.of(t)));
        alone.forEach((want, k) => {
          const got = batched[k]!.subarray(b * V, (b + 1) * V);
          expect(maxAbsDiff(got, want)).toBeLessThan(TOLERANCE);
          identical &&= bitsEqual(got, want);
        });
      });
      expect(identical).toBe(true);
    });

    it(`${name}: allLogits gives each row's real positions as the row alone`, () => {
      const s = new engine.Session(model, { batch: B, capacity: 16 });
      const tok = new Int32Array(B * n);
      prompts.forEach((p, b) => tok.set(p, b * n + n - p.length));
      const all = s.prefill(tok, { allLogits: true, lengths: Int32Array.from(prompts, (p) => p.length) });
      prompts.forEach((p, b) => {
        const want = model.forward(Int32Array.from(p), 1, p.length);
        const pad = n - p.length;
        expect(maxAbsDiff(all.subarray((b * n + pad) * V, (b + 1) * n * V), want)).toBeLessThan(TOLERANCE);
        expect(all.subarray(b * n * V, (b + 1) * n * V).every(Number.isFinite)).toBe(true);
      });
    });
  }

  it('validates lengths and clears them on reset', () => {
    const spec = gpt2Spec();
    const dir = tempDir('engine-lengths-');
    const file = path.join(dir, 'model.safetensors');
    writeSafetensors(file, randomWeights(spec, 2));
    const model = new engine.Model({ ...spec, files: [file] });
    const s = new engine.Session(model, { batch: 2, capacity: 16 });
    const tok = Int32Array.of(1, 2, 3, 4, 5, 6);
    expect(() => s.prefill(tok, { lengths: Int32Array.of(3) })).toThrow();
    expect(() => s.prefill(tok, { lengths: Int32Array.of(0, 3) })).toThrow(/lengths\[0\] = 0 must be in \[1, 3\]/);
    expect(() => s.prefill(tok, { lengths: Int32Array.of(4, 3) })).toThrow(/must be in \[1, 3\]/);
    const padded = s.prefill(tok, { lengths: Int32Array.of(1, 3) });
    expect(() => s.prefill(Int32Array.of(1, 2), { lengths: Int32Array.of(1, 1) })).toThrow(/only allowed on the first prefill/);
    s.reset();
    const plain = s.prefill(tok);
    const again = new engine.Session(model, { batch: 2, capacity: 16 }).prefill(tok);
    expect(bitsEqual(plain, again)).toBe(true);
    expect(bitsEqual(padded, plain)).toBe(false);
  });
});
