import { afterAll, describe, expect, it } from 'vitest';
import { bitsEqual, engine } from './helpers/engine.js';
import { gpt2Spec, llamaSpec, randn, rng, writeTinyModel, type SpecNoFiles } from './helpers/tinyModels.js';

// Gradient checkpointing keeps only each layer's input and recomputes the layer in backward. The
// recomputation runs the same deterministic kernels on the same inputs with the same dropout
// keys, so losses, gradients and the trained adapter must be bit-identical with and without it.
describe('gradient checkpointing', () => {
  const threads = engine.getThreads();
  afterAll(() => engine.setThreads(threads));
  const variants: [string, SpecNoFiles, string[]][] = [
    ['gpt2', gpt2Spec(), ['c_attn', 'c_proj', 'c_fc']],
    ['llama', llamaSpec(), ['q', 'k', 'v', 'o', 'gate', 'up', 'down']],
  ];
  for (const [name, spec, targets] of variants) {
    const full = writeTinyModel(spec, 17);
    const B = 2, T = 9;
    const r = rng(4);
    const tokens = Int32Array.from({ length: B * T }, () => Math.floor(r() * spec.vocabSize));
    const tgt = Int32Array.from(tokens, (_, i) => (i % T === T - 1 ? -1 : tokens[i + 1]!));
    const mask = Float32Array.from({ length: B * T }, (_, i) => (i % T < 3 ? 0 : 1));
    const batch = { tokens, targets: tgt, batch: B, seq: T, mask };
    const make = (gradientCheckpointing: boolean) => {
      const m = new engine.Model(full);
      m.addLora({ targets, rank: 4, alpha: 8, dropout: 0.1, seed: 9, gradientCheckpointing });
      // non-zero B so every path (through A, B and the frozen weights) carries gradient
      const t = m.getLoraTensors();
      const r2 = rng(6);
      m.setLoraTensors(Object.fromEntries(Object.entries(t).map(([k, v]) => [k, k.includes('lora_B') ? randn(r2, v.data.length, 0.1) : v.data])));
      return m;
    };

    it(`${name}: gradients (with dropout) and three AdamW steps are bit-identical with and without it, on 1 and 2 threads`, () => {
      for (const th of [1, 2]) {
        engine.setThreads(th);
        const plain = make(false), ckpt = make(true);
        for (let step = 0; step < 3; step++) {
          const a = plain.forwardBackward(batch), b = ckpt.forwardBackward(batch);
          expect(b.loss).toBe(a.loss);
          const ga = plain.getLoraGrads(), gb = ckpt.getLoraGrads();
          for (const k of Object.keys(ga)) expect(bitsEqual(ga[k]!.data, gb[k]!.data), `${k} step ${step}`).toBe(true);
          plain.optimizerStep({ lr: 1e-2, maxGradNorm: 1 });
          ckpt.optimizerStep({ lr: 1e-2, maxGradNorm: 1 });
        }
        const ta = plain.getLoraTensors(), tb = ckpt.getLoraTensors();
        for (const k of Object.keys(ta)) expect(bitsEqual(ta[k]!.data, tb[k]!.data), k).toBe(true);
      }
    });

    it(`${name}: the per-call option overrides the adapter's default`, () => {
      const plain = make(false), ckpt = make(false);
      const a = plain.forwardBackward({ ...batch, dropout: false });
      const b = ckpt.forwardBackward({ ...batch, dropout: false, checkpoint: true });
      expect(b.loss).toBe(a.loss);
      const ga = plain.getLoraGrads(), gb = ckpt.getLoraGrads();
      for (const k of Object.keys(ga)) expect(bitsEqual(ga[k]!.data, gb[k]!.data), k).toBe(true);
      expect(() => ckpt.forwardBackward({ ...batch, checkpoint: 1 as never })).toThrow(/'checkpoint' must be a boolean/);
    });
  }
});
