// Model.loraBankLoad (the server's cache-miss path: the safetensors file read straight into the
// LoRA bank, F16/BF16 widened natively) against the reference path it replaces (loadPeftAdapter
// into JS arrays, then loraBankAdd): the same bank bits for every stored dtype, the same logits,
// and a file that changed after its header was checked refused naming the file and the tensor.
import { copyFileSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ModelSpec } from '../../main/engine/modelConfig.js';
import { createLoraAdapter } from '../../main/engine/peft/createLoraAdapter.js';
import { inspectPeftAdapter } from '../../main/engine/peft/inspectPeftAdapter.js';
import { loadPeftAdapter } from '../../main/engine/peft/loadPeftAdapter.js';
import { peftBankSources } from '../../main/engine/peft/peftBankSources.js';
import { PEFT_PREFIX, savePeftAdapter } from '../../main/engine/peft/savePeftAdapter.js';
import { bankAdapter } from '../../main/playground/AdapterCache.js';
import { bitsEqual, engine } from './helpers/engine.js';
import { llamaSpec, tempDir, writeSafetensors, writeTinyModel } from './helpers/tinyModels.js';

const TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

describe('Model.loraBankLoad: the adapter file read straight into the bank', () => {
  const spec = llamaSpec();
  const full = writeTinyModel(spec, 8);
  const mspec = { ...spec, files: full.files } as unknown as ModelSpec;

  for (const dtype of ['F32', 'F16', 'BF16'] as const) {
    it(`${dtype}: the bank holds the bits the JS reader + loraBankAdd give, and decodes the same`, () => {
      const adapter = createLoraAdapter(mspec, { r: 4, alpha: 8, targets: TARGETS, seed: 9, randomB: true, useRslora: dtype === 'BF16' });
      // Values at the edges of the 16-bit formats: subnormal in F16 and BF16, negative zero,
      // F16's largest, an f32 denormal (flushes to zero in F16), so the widening is checked there.
      const first = adapter.modules.values().next().value!.A.data;
      first.set([1e-6, -0, 65504, 1e-40, -3e-39, 5.96e-8, -2.5e-5], 0);
      const dir = path.join(tempDir('lora-bank-load'), dtype);
      savePeftAdapter(dir, adapter, dtype);

      const model = new engine.Model(full);
      const ref = loadPeftAdapter(dir, mspec);
      const tensors: Record<string, Float32Array> = {};
      for (const [m, { A, B }] of ref.modules) {
        tensors[`${PEFT_PREFIX}${m}.lora_A.weight`] = A.data;
        tensors[`${PEFT_PREFIX}${m}.lora_B.weight`] = B.data;
      }
      const options = { rank: 4, alpha: 8, rslora: dtype === 'BF16' };
      const refId = model.loraBankAdd(tensors, options);
      const layout = inspectPeftAdapter(dir, mspec);
      const sources = peftBankSources(layout)!;
      expect(sources.every((s) => s.dtype === dtype)).toBe(true);
      const fastId = model.loraBankLoad(layout.file.path, sources, options);
      // The cache's dispatch takes the native path for a layout on disk.
      const cacheId = bankAdapter(model, inspectPeftAdapter(dir, mspec));

      const want = model.loraBankTensors(refId);
      expect(Object.keys(want)).toHaveLength(2 * TARGETS.length * spec.numLayers);
      for (const id of [fastId, cacheId]) {
        const got = model.loraBankTensors(id);
        expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
        for (const [name, t] of Object.entries(want)) {
          expect(got[name]!.shape, name).toEqual(t.shape);
          expect(bitsEqual(got[name]!.data, t.data), name).toBe(true);
        }
      }
      expect(model.loraBankTensors(fastId)[`${PEFT_PREFIX}${[...ref.modules.keys()][0]}.lora_A.weight`]!.data[0]).not.toBe(0);

      // Rows on the two bank ids (and the base) of one batch: the same logits, not the base's.
      const s = new engine.Session(model, { batch: 3, capacity: 12 });
      const adapters = Int32Array.of(refId, fastId, -1);
      const prompt = [3, 1, 4, 1, 5, 9].map((t) => t % spec.vocabSize);
      const tok = Int32Array.from([...prompt, ...prompt, ...prompt]);
      const V = spec.vocabSize;
      const outs = [s.prefill(tok, { adapters })];
      for (const t of [2, 6, 5]) outs.push(s.step(Int32Array.of(t, t, t), { adapters }));
      for (const o of outs) {
        expect(bitsEqual(o.subarray(0, V), o.subarray(V, 2 * V))).toBe(true);
        expect(bitsEqual(o.subarray(0, V), o.subarray(2 * V, 3 * V))).toBe(false);
      }
    });
  }

  it("reads Hugging Face PEFT's names (with the adapter name, \".lora_A.default.weight\") into the same bank entry", () => {
    const adapter = createLoraAdapter(mspec, { r: 2, alpha: 4, targets: ['q_proj', 'up_proj'], seed: 6, randomB: true });
    const ours = tempDir('lora-bank-load-ours');
    savePeftAdapter(ours, adapter);
    const hf = tempDir('lora-bank-load-hf');
    copyFileSync(path.join(ours, 'adapter_config.json'), path.join(hf, 'adapter_config.json'));
    const renamed: Record<string, { shape: number[]; data: Float32Array }> = {};
    for (const [m, { A, B }] of adapter.modules) {
      renamed[`${PEFT_PREFIX}${m}.lora_A.default.weight`] = { shape: A.shape, data: A.data };
      renamed[`${PEFT_PREFIX}${m}.lora_B.default.weight`] = { shape: B.shape, data: B.data };
    }
    writeSafetensors(path.join(hf, 'adapter_model.safetensors'), renamed);
    const model = new engine.Model(full);
    const want = model.loraBankTensors(bankAdapter(model, inspectPeftAdapter(ours, mspec)));
    const got = model.loraBankTensors(bankAdapter(model, inspectPeftAdapter(hf, mspec)));
    expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
    for (const [name, t] of Object.entries(want)) expect(bitsEqual(got[name]!.data, t.data), name).toBe(true);
  });

  it('refuses a file cut short after its header was checked, naming the file and the tensor; nothing is stored', () => {
    const adapter = createLoraAdapter(mspec, { r: 2, alpha: 2, targets: ['q_proj', 'down_proj'], seed: 4, randomB: true });
    const dir = tempDir('lora-bank-load-cut');
    savePeftAdapter(dir, adapter);
    const layout = inspectPeftAdapter(dir, mspec);
    const sources = peftBankSources(layout)!;
    const model = new engine.Model(full);
    const last = [...sources].sort((a, b) => b.offset - a.offset)[0]!;
    truncateSync(layout.file.path, statSync(layout.file.path).size - 8);
    expect(() => model.loraBankLoad(layout.file.path, sources, { rank: 2, alpha: 2 })).toThrow(
      new RegExp(`adapter_model\\.safetensors: tensor '${last.name.replace(/\./g, '\\.')}': bytes \\d+\\.\\.\\d+ run past the end of the \\d+-byte file`),
    );
    // Sizes and names are checked against the model as loraBankAdd checks them.
    expect(() => model.loraBankLoad(layout.file.path, [{ ...sources[0]!, bytes: sources[0]!.bytes - 4 }], { rank: 2, alpha: 2 })).toThrow(/bytes of F32 where the model's module needs \d+ values/);
    expect(() => model.loraBankLoad(layout.file.path, [{ ...sources[0]!, name: 'base_model.model.nope.lora_A.weight' }], { rank: 2, alpha: 2 })).toThrow(/'base_model\.model\.nope\.lora_A\.weight' is not a LoRA tensor of a module of this model/);
    expect(() => model.loraBankLoad(path.join(dir, 'missing.safetensors'), sources, { rank: 2, alpha: 2 })).toThrow(/missing\.safetensors: cannot open/);
    // Nothing was stored by the failed calls: the first id handed out is still 0.
    expect(model.loraBankAdd({}, { rank: 2, alpha: 2 })).toBe(0);
  });
});
