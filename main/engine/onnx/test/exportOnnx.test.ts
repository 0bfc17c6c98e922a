import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { makeTmpDir } from '../../test/tmpDir';
import { maxAbsDiff } from '../../test/maxAbsDiff';
import { buildTestModel } from '../../testModels/buildTestModel';
import type { TestModelFamily } from '../../testModels/testModelSpecs';
import { loadReferenceModel } from '../../reference/ReferenceModel';
import { referenceForward } from '../../reference/referenceForward';
import { createLoraAdapter } from '../../peft/createLoraAdapter';
import { exportOnnx } from '../exportOnnx';

const tmp = makeTmpDir('onnx');
afterAll(tmp.cleanup);

// onnxruntime (CPU, float32) against the Float64 reference: logits of order 1-10 agree within
// 1e-4 for f32 weights; f16 weights are compared with the f32 reference, so the bound is loose.
const cases: [TestModelFamily, 'F32' | 'F16', boolean][] = [
  ['gpt2', 'F32', false],
  ['llama', 'F32', false],
  ['qwen2', 'F32', false],
  ['smollm', 'F32', true],
  ['gpt2', 'F32', true],
  ['llama', 'F16', false],
];

describe.each(cases)('ONNX export of %s (%s, adapter %s) run by onnxruntime', (family, dtype, withAdapter) => {
  it('matches the reference logits for a batch of two sequences', async () => {
    const m = buildTestModel(join(tmp.dir, `${family}-${dtype}-${withAdapter}`), { family, seed: 5 });
    const targets = family === 'gpt2' ? ['c_attn', 'c_fc'] : ['q_proj', 'k_proj', 'o_proj', 'up_proj'];
    const adapter = withAdapter ? createLoraAdapter(m.spec, { r: 4, alpha: 8, targets, seed: 9, randomB: true }) : undefined;
    const path = join(tmp.dir, `${family}-${dtype}-${withAdapter}.onnx`);
    exportOnnx(m.dir, path, { dtype, adapter });
    const seqs = family === 'gpt2' ? [[464, 3290, 318, 257, 1332], [50256, 11, 198, 1000, 42]] : [[1, 40, 41, 300, 7], [1, 99, 250, 3, 17]];
    const session = await ort.InferenceSession.create(path);
    const input = new ort.Tensor('int64', BigInt64Array.from(seqs.flat().map(BigInt)), [2, 5]);
    const out = (await session.run({ input_ids: input }))['logits']!;
    expect(out.dims).toEqual([2, 5, m.spec.vocabSize]);
    const data = out.data as Float32Array;
    const V = m.spec.vocabSize;
    const ref = loadReferenceModel(m.dir);
    seqs.forEach((ids, b) => {
      const rows = ids.map((_, t) => data.subarray((b * 5 + t) * V, (b * 5 + t + 1) * V));
      expect(maxAbsDiff(rows, referenceForward(ref, ids, { lora: adapter }))).toBeLessThan(dtype === 'F32' ? 1e-4 : 0.1);
    });
  });
});

describe.each(['gpt2', 'llama'] as const)('ONNX graph with LoRA factors as inputs (%s)', (family) => {
  it('serves any adapter of that rank: results equal the reference with each adapter', async () => {
    const { loraScaling } = await import('../../peft/LoraAdapter');
    const m = buildTestModel(join(tmp.dir, `lora-inputs-${family}`), { family, seed: 8 });
    const targets = family === 'gpt2' ? ['c_attn', 'c_proj'] : ['q_proj', 'v_proj', 'gate_proj'];
    const path = join(tmp.dir, `lora-inputs-${family}.onnx`);
    exportOnnx(m.dir, path, { dtype: 'F32', loraInputs: { r: 4, targets } });
    const session = await ort.InferenceSession.create(path);
    const ids = family === 'gpt2' ? [464, 3290, 318, 257] : [1, 40, 41, 300];
    const ref = loadReferenceModel(m.dir);
    for (const [seed, rslora] of [[1, false], [2, true]] as const) {
      const adapter = createLoraAdapter(m.spec, { r: 4, alpha: 16, targets, seed, useRslora: rslora, randomB: true });
      const feeds: Record<string, ort.Tensor> = { input_ids: new ort.Tensor('int64', BigInt64Array.from(ids.map(BigInt)), [1, ids.length]) };
      for (const [name, { A, B }] of adapter.modules) {
        feeds[`${name}.lora_A`] = new ort.Tensor('float32', A.data, A.shape);
        feeds[`${name}.lora_B`] = new ort.Tensor('float32', B.data, B.shape);
      }
      feeds['lora_scaling'] = new ort.Tensor('float32', Float32Array.of(loraScaling(adapter.config)), [1]);
      const data = (await session.run(feeds))['logits']!.data as Float32Array;
      const V = m.spec.vocabSize;
      const rows = ids.map((_, t) => data.subarray(t * V, (t + 1) * V));
      expect(maxAbsDiff(rows, referenceForward(ref, ids, { lora: adapter }))).toBeLessThan(1e-4);
    }
  });
});
