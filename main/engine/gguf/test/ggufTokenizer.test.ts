import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { makeTmpDir } from '../../test/tmpDir';
import { buildTestModel } from '../../testModels/buildTestModel';
import { exportGguf } from '../exportGguf';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { FIXTURE_STRINGS } from '../../tokenizer/test/fixtureStrings';

const tmp = makeTmpDir('gguf-tok');
afterAll(tmp.cleanup);

describe.each(['gpt2', 'llama'] as const)('tokenizer.ggml metadata (%s)', (family) => {
  it('llama.cpp tokenizes like our tokenizer.json reader', async () => {
    const m = buildTestModel(join(tmp.dir, family), { family });
    const path = join(tmp.dir, `${family}.gguf`);
    exportGguf(m.dir, path, { dtype: 'F32' });
    const tok = Tokenizer.fromModelDir(m.dir);
    const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error, build: 'never' });
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true });
    const diffs: string[] = [];
    for (const s of FIXTURE_STRINGS) {
      const ours = tok.encode(s, { addSpecialTokens: false });
      // specialTokens=true: llama.cpp then cuts control tokens out of the text as HF does.
      const theirs = [...model.tokenize(s, true)].map(Number);
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) diffs.push(`${JSON.stringify(s)}: ours ${JSON.stringify(ours)} llama.cpp ${JSON.stringify(theirs)}`);
    }
    await model.dispose();
    expect(diffs).toEqual([]);
  });
});
