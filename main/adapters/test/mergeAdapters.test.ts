import { describe, expect, it } from 'vitest';
import type { LoraAdapter } from '../../engine/peft/LoraAdapter';
import { loraScaling } from '../../engine/peft/LoraAdapter';
import { createLoraAdapter } from '../../engine/peft/createLoraAdapter';
import type { ModelSpec } from '../../engine/modelConfig';
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';
import { mergeAdapters } from '../mergeAdapters';
import { mergeTaskTensors } from '../mergeTaskTensors';

const spec: ModelSpec = {
  arch: 'llama', vocabSize: 16, hiddenSize: 8, numLayers: 1, numHeads: 2, numKvHeads: 2, headDim: 4, intermediateSize: 12,
  maxPositions: 16, normEps: 1e-5, ropeTheta: 10000, ropeScaling: null, tieWordEmbeddings: false, attentionBias: false,
};

/** scaling * B A for one module, in double. */
function delta(a: LoraAdapter, module: string): Float64Array {
  const { A, B } = a.modules.get(module)!;
  const [r, inp] = A.shape as [number, number];
  const out = B.shape[0]!;
  const s = loraScaling(a.config);
  const d = new Float64Array(out * inp);
  for (let o = 0; o < out; o++) for (let i = 0; i < inp; i++) {
    let acc = 0;
    for (let k = 0; k < r; k++) acc += B.data[o * r + k]! * A.data[k * inp + i]!;
    d[o * inp + i] = s * acc;
  }
  return d;
}

describe('mergeAdapters', () => {
  const a = createLoraAdapter(spec, { r: 2, alpha: 4, targets: ['q_proj', 'v_proj'], seed: 1, randomB: true });
  const b = createLoraAdapter(spec, { r: 3, alpha: 3, targets: ['q_proj', 'o_proj'], seed: 2, randomB: true });

  it("cat: the update is exactly the weighted sum of the parents' updates, modules of either parent included", () => {
    const m = mergeAdapters([{ name: 'a', adapter: a, weight: 0.7 }, { name: 'b', adapter: b, weight: -0.4 }], 'cat');
    expect(m.config.r).toBe(5);
    expect(loraScaling(m.config)).toBe(1);
    expect([...m.modules.keys()].sort()).toEqual([...new Set([...a.modules.keys(), ...b.modules.keys()])].sort());
    for (const mod of m.modules.keys()) {
      const got = delta(m, mod);
      const da = a.modules.has(mod) ? delta(a, mod) : null;
      const db = b.modules.has(mod) ? delta(b, mod) : null;
      for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(0.7 * (da?.[i] ?? 0) - 0.4 * (db?.[i] ?? 0), 5);
    }
  });

  it('linear: factors mixed by sqrt(weight * scaling); needs equal ranks and positive weights', () => {
    const c = createLoraAdapter(spec, { r: 2, alpha: 2, targets: ['q_proj'], seed: 3, randomB: true });
    const m = mergeAdapters([{ name: 'a', adapter: a, weight: 0.5 }, { name: 'c', adapter: c, weight: 2 }], 'linear');
    const q = 'model.layers.0.self_attn.q_proj';
    const fa = Math.sqrt(0.5 * loraScaling(a.config));
    const fc = Math.sqrt(2 * loraScaling(c.config));
    expect(m.modules.get(q)!.A.data[3]).toBeCloseTo(fa * a.modules.get(q)!.A.data[3]! + fc * c.modules.get(q)!.A.data[3]!, 6);
    expect(() => mergeAdapters([{ name: 'a', adapter: a, weight: 1 }, { name: 'b', adapter: b, weight: 1 }], 'linear')).toThrow(/equal ranks.*"b" has r=3/);
    expect(() => mergeAdapters([{ name: 'a', adapter: a, weight: 1 }, { name: 'c', adapter: c, weight: -1 }], 'linear')).toThrow(/positive weights/);
  });

  it('refuses parents whose module shapes disagree (made on different bases)', () => {
    const wider = createLoraAdapter({ ...spec, hiddenSize: 16, headDim: 8 }, { r: 2, alpha: 4, targets: ['q_proj'], seed: 4, randomB: true });
    expect(() => mergeAdapters([{ name: 'a', adapter: a, weight: 1 }, { name: 'w', adapter: wider, weight: 1 }], 'cat')).toThrow(/q_proj" is 8 -> 8 in one adapter and 16 -> 16 in "w"/);
  });

  it('ties and dare_*: each factor merged from the parents\' factors with weights sqrt(w s), one seeded stream in module, A-then-B, parent order', () => {
    const c = createLoraAdapter(spec, { r: 2, alpha: 2, targets: ['q_proj', 'k_proj'], seed: 5, randomB: true });
    const parents = [{ name: 'a', adapter: a, weight: 0.5 }, { name: 'c', adapter: c, weight: 2 }];
    const w = parents.map((p) => Math.sqrt(p.weight * loraScaling(p.adapter.config)));
    for (const method of ['ties', 'dare_linear', 'dare_ties'] as const) {
      const m = mergeAdapters(parents, method, { density: 0.5, seed: 9 });
      expect(m.config).toMatchObject({ r: 2, alpha: 2 });
      const rng = new Xoshiro128(9);
      for (const [mod, pair] of m.modules) {
        for (const which of ['A', 'B'] as const) {
          const size = pair[which].data.length;
          const want = mergeTaskTensors(parents.map((p) => p.adapter.modules.get(mod)?.[which].data ?? new Float32Array(size)), w, method, { density: 0.5, rng });
          expect([...pair[which].data]).toEqual([...want]);
        }
      }
      expect([...m.modules.keys()].sort()).toEqual(['model.layers.0.self_attn.k_proj', 'model.layers.0.self_attn.q_proj', 'model.layers.0.self_attn.v_proj']);
    }
    // Density 1 drops nothing: dare_linear is linear.
    const linear = mergeAdapters(parents, 'linear');
    const dare = mergeAdapters(parents, 'dare_linear', { density: 1, seed: 3 });
    for (const [mod, pair] of linear.modules) expect([...dare.modules.get(mod)!.A.data]).toEqual([...pair.A.data]);
    // The seed repeats a merge; another seed drops other entries.
    const q = 'model.layers.0.self_attn.q_proj';
    expect([...mergeAdapters(parents, 'dare_ties', { density: 0.5, seed: 1 }).modules.get(q)!.A.data]).toEqual([...mergeAdapters(parents, 'dare_ties', { density: 0.5, seed: 1 }).modules.get(q)!.A.data]);
    expect([...mergeAdapters(parents, 'dare_ties', { density: 0.5, seed: 2 }).modules.get(q)!.A.data]).not.toEqual([...mergeAdapters(parents, 'dare_ties', { density: 0.5, seed: 1 }).modules.get(q)!.A.data]);
    expect(() => mergeAdapters(parents, 'ties')).toThrow(/ties merging needs a density/);
    expect(() => mergeAdapters(parents, 'ties', { density: 1.5 })).toThrow(/density must be in \(0, 1\]/);
    expect(() => mergeAdapters([{ name: 'a', adapter: a, weight: 1 }, { name: 'b', adapter: b, weight: 1 }], 'dare_ties', { density: 0.5 })).toThrow(/dare_ties merging needs equal ranks/);
  });
});
