// Segmented LoRA: one batched session whose rows use different bank adapters (and the base)
// against each row decoded alone on a model carrying that one adapter (addLora + setLoraTensors),
// the single-adapter path. Rows share every base GEMM; each row's LoRA product runs on its own
// segment with the same arithmetic, so every row is bit-identical to its reference.
import { describe, expect, it } from 'vitest';
import { createLoraAdapter } from '../../main/engine/peft/createLoraAdapter.js';
import { applyPeftAdapter } from '../../main/engine/peft/applyPeftAdapter.js';
import type { LoraAdapter } from '../../main/engine/peft/LoraAdapter.js';
import { PEFT_PREFIX } from '../../main/engine/peft/savePeftAdapter.js';
import type { ModelSpec } from '../../main/engine/modelConfig.js';
import { bitsEqual, engine } from './helpers/engine.js';
import { gpt2Spec, llamaSpec, writeTinyModel, type SpecNoFiles } from './helpers/tinyModels.js';

const bankTensors = (a: LoraAdapter) => {
  const t: Record<string, Float32Array> = {};
  for (const [name, { A, B }] of a.modules) {
    t[`${PEFT_PREFIX}${name}.lora_A.weight`] = A.data;
    t[`${PEFT_PREFIX}${name}.lora_B.weight`] = B.data;
  }
  return t;
};

const variants: [string, SpecNoFiles, string[][]][] = [
  ['gpt2', gpt2Spec(), [['c_attn'], ['c_attn', 'c_fc'], ['c_proj']]],
  ['llama', llamaSpec(), [['q_proj', 'v_proj'], ['o_proj', 'up_proj', 'gate_proj'], ['k_proj', 'down_proj']]],
];

describe('Session with per-row adapters (segmented LoRA)', () => {
  for (const [name, spec, targets] of variants) {
    it(`${name}: each row of a mixed batch equals that adapter alone, bit for bit (prefill with lengths + steps)`, () => {
      const full = writeTinyModel(spec, 21);
      const mspec = spec as unknown as ModelSpec;
      const adapters = [
        createLoraAdapter(mspec, { r: 4, alpha: 8, targets: targets[0]!, seed: 1, randomB: true }),
        createLoraAdapter(mspec, { r: 2, alpha: 4, targets: targets[1]!, seed: 2, randomB: true, useRslora: true }),
        createLoraAdapter(mspec, { r: 8, alpha: 8, targets: targets[2]!, seed: 3, randomB: true }),
      ];
      const model = new engine.Model(full);
      const ids = adapters.map((a) => model.loraBankAdd(bankTensors(a), { rank: a.config.r, alpha: a.config.alpha, rslora: a.config.useRslora }));
      const V = spec.vocabSize;
      // Rows: a, base, b, a, c, c: segments of one and of two rows, the base in the middle.
      const rowAdapter = [0, -1, 1, 0, 2, 2];
      const adaptersArg = Int32Array.from(rowAdapter, (k) => (k < 0 ? -1 : ids[k]!));
      const prompts = [[5, 9, 2, 7], [4], [6, 6, 2], [1, 2, 3, 4, 5], [7, 3], [8, 8, 8]].map((p) => p.map((t) => t % V));
      const steps = [[3, 7, 1], [2, 2, 5], [8, 1, 1], [0, 4, 6], [9, 9, 1], [2, 3, 4]];
      const B = prompts.length;
      const n = Math.max(...prompts.map((p) => p.length));
      const s = new engine.Session(model, { batch: B, capacity: 16 });
      const tok = new Int32Array(B * n);
      prompts.forEach((p, b) => tok.set(p, b * n + n - p.length));
      const batched = [s.prefill(tok, { lengths: Int32Array.from(prompts, (p) => p.length), adapters: adaptersArg })];
      for (let k = 0; k < steps[0]!.length; k++) batched.push(s.step(Int32Array.from(steps, (r) => r[k]!), { adapters: adaptersArg }));

      prompts.forEach((p, b) => {
        const ref = new engine.Model(full);
        if (rowAdapter[b]! >= 0) applyPeftAdapter(ref, adapters[rowAdapter[b]!]!);
        const one = new engine.Session(ref, { batch: 1, capacity: 16 });
        const alone = [one.prefill(Int32Array.from(p))];
        for (const t of steps[b]!) alone.push(one.step(Int32Array.of(t)));
        alone.forEach((want, k) => expect(bitsEqual(batched[k]!.subarray(b * V, (b + 1) * V), want), `row ${b} position ${k}`).toBe(true));
      });
      // The adapters changed the output (the test would pass trivially otherwise).
      const base = new engine.Session(new engine.Model(full), { batch: 1, capacity: 16 }).prefill(Int32Array.from(prompts[0]!));
      expect(bitsEqual(batched[0]!.subarray(0, V), base)).toBe(false);
    });
  }

  it('checks names, shapes and ids; a removed id is refused and its slot reused', () => {
    const full = writeTinyModel(llamaSpec(), 3);
    const model = new engine.Model(full);
    const a = createLoraAdapter(llamaSpec() as unknown as ModelSpec, { r: 2, alpha: 2, targets: ['q_proj'], seed: 1, randomB: true });
    const t = bankTensors(a);
    expect(() => model.loraBankAdd({ ...t, 'base_model.model.nope.lora_A.weight': new Float32Array(4) }, { rank: 2, alpha: 2 })).toThrow(/'base_model\.model\.nope\.lora_A\.weight' is not a LoRA tensor of a module of this model/);
    const [firstA] = Object.keys(t);
    expect(() => model.loraBankAdd({ [firstA!]: t[firstA!]! }, { rank: 2, alpha: 2 })).toThrow(/lacks its lora_B tensor/);
    expect(() => model.loraBankAdd(t, { rank: 3, alpha: 2 })).toThrow(/loraBankAdd: 'base_model\.model\.model\.layers\.0\.self_attn\.q_proj\.lora_A\.weight'/);
    const id = model.loraBankAdd(t, { rank: 2, alpha: 2 });
    const s = new engine.Session(model, { batch: 2, capacity: 8 });
    expect(() => s.prefill(Int32Array.of(1, 2), { adapters: Int32Array.of(id, 7) })).toThrow(/no bank adapter with id 7/);
    expect(() => s.prefill(Int32Array.of(1, 2), { adapters: Int32Array.of(id, -2) })).toThrow(/adapters\[1\] must be a bank id or -1/);
    model.loraBankRemove(id);
    expect(() => s.prefill(Int32Array.of(1, 2), { adapters: Int32Array.of(id, -1) })).toThrow(new RegExp(`no bank adapter with id ${id}`));
    expect(model.loraBankAdd(t, { rank: 2, alpha: 2 })).toBe(id);
    // A failed call leaves nothing behind: a plain step still works.
    expect(s.prefill(Int32Array.of(1, 2), { adapters: Int32Array.of(id, -1) }).length).toBe(2 * llamaSpec().vocabSize);
  });
});
