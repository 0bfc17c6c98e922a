import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { makeTmpDir } from './tmpDir';
import { buildTestModel } from '../testModels/buildTestModel';
import { randomWeights } from '../testModels/randomWeights';
import { testModelSpec } from '../testModels/testModelSpecs';
import { modelTensorShapes } from '../modelTensorShapes';
import { loadReferenceModel } from '../reference/ReferenceModel';

const tmp = makeTmpDir('check');
afterAll(tmp.cleanup);

describe('checkModelWeights', () => {
  it.each(['gpt2', 'llama', 'qwen2', 'smollm'] as const)('the test builder writes exactly the tensors a %s config implies', (family) => {
    const spec = testModelSpec(family);
    const expected = modelTensorShapes(spec);
    const actual = randomWeights(spec, 1);
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [n, t] of actual) expect(t.shape).toEqual(expected.get(n));
  });
  it('rejects a config that disagrees with the weights, naming tensor and file', () => {
    const m = buildTestModel(join(tmp.dir, 'llama'), { family: 'llama' });
    const cfgPath = join(m.dir, 'config.json');
    const cfg = JSON.parse(readFileSync(cfgPath, 'utf8'));
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, intermediate_size: 100 }));
    expect(() => loadReferenceModel(m.dir)).toThrow(/model\.safetensors \(tensor "model\.layers\.0\.mlp\.gate_proj\.weight"\): shape \[96,64\] does not match \[100,64\]/);
    writeFileSync(cfgPath, JSON.stringify({ ...cfg, tie_word_embeddings: true, num_hidden_layers: 3 }));
    expect(() => loadReferenceModel(m.dir)).toThrow(/model\.layers\.2\..*config\.json requires this tensor/);
  });
});
