import { maxAbsDiff as maxDiff } from '../../test/maxAbsDiff';
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { createLoraAdapter } from '../createLoraAdapter';
import { savePeftAdapter } from '../savePeftAdapter';
import { loadPeftAdapter } from '../loadPeftAdapter';
import { mergeLoraAdapter } from '../mergeLoraAdapter';
import { loraScaling } from '../LoraAdapter';
import { SafetensorsFile } from '../../safetensors/SafetensorsFile';
import { referenceForward } from '../../reference/referenceForward';
import { referenceModelFromWeights } from '../../reference/ReferenceModel';
import { randomWeights } from '../../testModels/randomWeights';
import { testModelSpec } from '../../testModels/testModelSpecs';
import { readFileSync } from 'node:fs';

const tmp = makeTmpDir('peft');
afterAll(tmp.cleanup);


describe.each([
  ['gpt2', ['c_attn', 'c_proj', 'c_fc'], false],
  ['llama', ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'], true],
  ['qwen2', ['q_proj', 'v_proj'], false],
] as const)('PEFT adapters (%s)', (family, targets, rslora) => {
  const spec = testModelSpec(family, family === 'gpt2' ? { vocabSize: 300 } : {});
  const weights = randomWeights(spec, 11);
  const model = referenceModelFromWeights(spec, weights);
  const adapter = createLoraAdapter(spec, { r: 4, alpha: 8, targets: [...targets], useRslora: rslora, seed: 3, randomB: true, baseModelNameOrPath: 'tiny' });
  const ids = [3, 14, 15, 92, 65];

  it('saves PEFT names and config, and loads back identically', () => {
    const dir = join(tmp.dir, family);
    savePeftAdapter(dir, adapter);
    const cfg = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
    expect(cfg).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, use_rslora: rslora, fan_in_fan_out: family === 'gpt2', base_model_name_or_path: 'tiny' });
    const names = [...SafetensorsFile.open(join(dir, 'adapter_model.safetensors')).tensors.keys()];
    const expected = family === 'gpt2' ? 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight' : 'base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight';
    expect(names).toContain(expected);
    const back = loadPeftAdapter(dir, spec);
    expect(back.config).toEqual(adapter.config);
    expect([...back.modules.keys()].sort()).toEqual([...adapter.modules.keys()].sort());
    for (const [k, v] of adapter.modules) expect(back.modules.get(k)!.B.data).toEqual(v.B.data);
  });
  it('changes the output, and merging gives the same logits as applying it', () => {
    const base = referenceForward(model, ids);
    const withLora = referenceForward(model, ids, { lora: adapter });
    expect(maxDiff(base, withLora)).toBeGreaterThan(1e-2);
    const merged = referenceForward(referenceModelFromWeights(spec, mergeLoraAdapter(weights, adapter)), ids);
    // Merged weights are float32: agreement to float32 rounding of the weights.
    expect(maxDiff(withLora, merged)).toBeLessThan(1e-4);
  });
  it('a zero-B adapter (PEFT init) leaves the model unchanged', () => {
    const fresh = createLoraAdapter(spec, { r: 2, alpha: 4, targets: [...targets] });
    expect(maxDiff(referenceForward(model, ids), referenceForward(model, ids, { lora: fresh }))).toBe(0);
  });
});

describe('adapter validation', () => {
  it('scales by alpha/r or alpha/sqrt(r)', () => {
    expect(loraScaling({ r: 16, alpha: 32, useRslora: false })).toBe(2);
    expect(loraScaling({ r: 16, alpha: 32, useRslora: true })).toBe(8);
  });
  it('rejects an adapter whose shapes do not fit the base model', () => {
    const spec = testModelSpec('llama');
    const dir = join(tmp.dir, 'mismatch');
    savePeftAdapter(dir, createLoraAdapter(spec, { r: 2, alpha: 4, targets: ['q_proj'] }));
    expect(() => loadPeftAdapter(dir, testModelSpec('llama', { hiddenSize: 32, headDim: 8 }))).toThrow(/q_proj.*is 32 -> 32/);
  });
});
