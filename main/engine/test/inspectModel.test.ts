import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from './tmpDir';
import { buildTestModel } from '../testModels/buildTestModel';
import { inspectModel } from '../inspectModel';
import { readModelConfig } from '../modelConfig';
import { openModelWeights } from '../safetensors/openModelWeights';
import { Tokenizer } from '../tokenizer/Tokenizer';

const tmp = makeTmpDir('inspect');
afterAll(tmp.cleanup);

describe('buildTestModel + inspectModel', () => {
  it('writes a GPT-2 folder that reads back', () => {
    const m = buildTestModel(join(tmp.dir, 'gpt2'), { family: 'gpt2', dtype: 'F16' });
    const info = inspectModel(m.dir);
    expect(info.modelType).toBe('gpt2');
    expect(info.spec).toEqual(m.spec);
    expect(info.dtype).toBe('F16');
    expect(info.shards).toEqual(['model.safetensors']);
    expect(info.tokenizer).toMatchObject({ kind: 'byte-level-bpe', vocabSize: 50257, chatTemplate: false });
    const C = m.spec.hiddenSize;
    const expected = 50257 * C + 64 * C + 2 * (4 * C + C * 3 * C + 3 * C + C * C + C + C * 128 + 128 + 128 * C + C) + 2 * C;
    expect(info.parameterCount).toBe(expected);
    expect(openModelWeights(m.dir).has('lm_head.weight')).toBe(false);
  });
  it.each(['llama', 'qwen2', 'smollm'] as const)('writes a %s folder (bf16, sharded) that reads back', (family) => {
    const m = buildTestModel(join(tmp.dir, family), { family, dtype: 'BF16', shardBytes: 20_000 });
    const info = inspectModel(m.dir);
    expect(readModelConfig(m.dir)).toEqual(m.spec);
    expect(info.shards.length).toBeGreaterThan(1);
    expect(info.dtype).toBe('BF16');
    expect(info.tokenizer).toMatchObject({ kind: 'sentencepiece-bpe', vocabSize: m.spec.vocabSize, chatTemplate: true, bosToken: '<s>' });
    const w = openModelWeights(m.dir);
    expect(w.has('lm_head.weight')).toBe(!m.spec.tieWordEmbeddings);
    expect(w.has('model.layers.0.self_attn.q_proj.bias')).toBe(family === 'qwen2');
    expect(w.entry('model.layers.1.self_attn.k_proj.weight').shape).toEqual([m.spec.numKvHeads * m.spec.headDim, m.spec.hiddenSize]);
    expect(Tokenizer.fromModelDir(m.dir).encode('hello')[0]).toBe(1);
  });
  it('names config.json when the folder has none', () => {
    expect(() => inspectModel(join(tmp.dir, 'nope'))).toThrow(/config\.json/);
  });
});

describe('modelSpecWithFiles', () => {
  it('gives the native engine the spec and the shard paths', async () => {
    const { modelSpecWithFiles } = await import('../modelSpecWithFiles');
    const m = buildTestModel(join(tmp.dir, 'for-native'), { family: 'qwen2', shardBytes: 30_000 });
    const s = modelSpecWithFiles(m.dir);
    expect(s).toMatchObject(m.spec);
    expect(s.files.length).toBeGreaterThan(1);
    expect(s.files.every((f) => f.startsWith(m.dir))).toBe(true);
  });
});
