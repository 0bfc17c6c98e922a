import { describe, expect, it } from 'vitest';
import type { LoraAdapter } from '../../engine/peft/LoraAdapter';
import { loraScaling } from '../../engine/peft/LoraAdapter';
import { createLoraAdapter } from '../../engine/peft/createLoraAdapter';
import type { ModelSpec } from '../../engine/modelConfig';
import { mergeAdapters } from '../mergeAdapters';

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
});
