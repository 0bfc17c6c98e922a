// The native engine against the TypeScript reference (which is itself checked against llama.cpp
// in gguf/test): same folders written by buildTestModel, same spec object, same adapter. The addon
// is built by `npm run build` (build:native); without it these tests fail.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from './tmpDir';
import { maxAbsDiff } from './maxAbsDiff';
import { buildTestModel } from '../testModels/buildTestModel';
import type { TestModelFamily } from '../testModels/testModelSpecs';
import { modelSpecWithFiles } from '../modelSpecWithFiles';
import { loadReferenceModel } from '../reference/ReferenceModel';
import { referenceForward } from '../reference/referenceForward';
import { createLoraAdapter } from '../peft/createLoraAdapter';
import { PEFT_PREFIX } from '../peft/savePeftAdapter';
import { loadNativeEngine } from '../native/index';

const tmp = makeTmpDir('native');
afterAll(tmp.cleanup);

// Logits are O(1..10) here; float32 GEMMs against float64 sums differ by ~1e-5 (observed below
// 1e-4 for f32, f16 and bf16 weights, with and without LoRA), the bound native/README.md uses.
const TOLERANCE = 1e-4;

const cases: [TestModelFamily, 'F32' | 'F16' | 'BF16'][] = [
  ['gpt2', 'F32'],
  ['llama', 'BF16'],
  ['qwen2', 'F32'],
  ['smollm', 'F16'],
];

describe.each(cases)('native engine vs reference (%s, %s)', (family, dtype) => {
  const m = buildTestModel(join(tmp.dir, `${family}-${dtype}`), { family, dtype });
  const ids = family === 'gpt2' ? [464, 3290, 318, 257, 1332, 13] : [1, 40, 41, 300, 7, 99, 250];

  it('forward logits agree', () => {
    const engine = loadNativeEngine();
    const model = new engine.Model(modelSpecWithFiles(m.dir));
    const logits = model.forward(Int32Array.from(ids), 1, ids.length);
    const V = m.spec.vocabSize;
    const rows = ids.map((_, t) => logits.subarray(t * V, (t + 1) * V));
    expect(maxAbsDiff(rows, referenceForward(loadReferenceModel(m.dir), ids))).toBeLessThan(TOLERANCE);
  });

  it('logits with a LoRA adapter (PEFT names) agree', () => {
    const engine = loadNativeEngine();
    const model = new engine.Model(modelSpecWithFiles(m.dir));
    const targets = family === 'gpt2' ? ['c_attn', 'c_proj', 'c_fc'] : ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
    const adapter = createLoraAdapter(m.spec, { r: 4, alpha: 8, targets, useRslora: family === 'llama', seed: 4, randomB: true });
    model.addLora({ targets, rank: 4, alpha: 8, rslora: family === 'llama' });
    const tensors: Record<string, Float32Array> = {};
    for (const [name, { A, B }] of adapter.modules) {
      tensors[`${PEFT_PREFIX}${name}.lora_A.weight`] = A.data;
      tensors[`${PEFT_PREFIX}${name}.lora_B.weight`] = B.data;
    }
    expect(Object.keys(model.getLoraTensors()).sort()).toEqual(Object.keys(tensors).sort());
    model.setLoraTensors(tensors);
    const logits = model.forward(Int32Array.from(ids), 1, ids.length);
    const V = m.spec.vocabSize;
    const rows = ids.map((_, t) => logits.subarray(t * V, (t + 1) * V));
    expect(maxAbsDiff(rows, referenceForward(loadReferenceModel(m.dir), ids, { lora: adapter }))).toBeLessThan(TOLERANCE);
  });
});

describe.each(['gpt2', 'llama'] as const)('generation on the native KV cache vs the reference (%s)', (family) => {
  it('gives the same tokens, logprobs and text, greedy and seeded', async () => {
    const { generate } = await import('../generate');
    const { nativeLogitsSource } = await import('../nativeLogitsSource');
    const { referenceLogitsSource } = await import('../reference/referenceGenerate');
    const { Tokenizer } = await import('../tokenizer/Tokenizer');
    const m = buildTestModel(join(tmp.dir, `gen-${family}`), { family });
    const engine = loadNativeEngine();
    const model = new engine.Model(modelSpecWithFiles(m.dir));
    const tok = Tokenizer.fromModelDir(m.dir);
    const ref = loadReferenceModel(m.dir);
    for (const opts of [{ maxTokens: 8 }, { maxTokens: 8, temperature: 0.8, topK: 40, topP: 0.9, repetitionPenalty: 1.2, seed: 3 }]) {
      const a = generate(nativeLogitsSource(engine, model, m.spec.maxPositions), tok, 'The studio keeps', opts);
      const b = generate(referenceLogitsSource(ref), tok, 'The studio keeps', opts);
      expect(a.tokens.map((t) => t.id)).toEqual(b.tokens.map((t) => t.id));
      expect(a.text).toBe(b.text);
      a.tokens.forEach((t, i) => expect(Math.abs(t.logprob - b.tokens[i]!.logprob)).toBeLessThan(1e-4));
    }
  });
});
