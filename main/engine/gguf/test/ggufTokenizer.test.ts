import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getLlama, LlamaLogLevel } from 'node-llama-cpp';
import { makeTmpDir } from '../../test/tmpDir';
import { buildTestModel } from '../../testModels/buildTestModel';
import { exportGguf } from '../exportGguf';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { FIXTURE_STRINGS } from '../../tokenizer/test/fixtureStrings';
import { trainByteLevelBpe } from '../../tokenizer/trainByteLevelBpe';

const tmp = makeTmpDir('gguf-tok');
afterAll(tmp.cleanup);

// 'trained': a Llama-family model carrying a byte-level BPE trained here (trainByteLevelBpe) on
// the repository's documentation, as the project's own base model does.
describe.each(['gpt2', 'llama', 'trained'] as const)('tokenizer.ggml metadata (%s)', (family) => {
  it('llama.cpp tokenizes like our tokenizer.json reader', async () => {
    const m = family === 'trained' ? buildTrainedTokenizerModel(join(tmp.dir, family)) : buildTestModel(join(tmp.dir, family), { family });
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

function buildTrainedTokenizerModel(dir: string) {
  const corpus = ['README.md', 'docs/ARCHITECTURE.md'].map((f) => readFileSync(f, 'utf8'));
  const trained = trainByteLevelBpe(corpus, { vocabSize: 600 });
  const m = buildTestModel(dir, { family: 'llama', overrides: { vocabSize: 600 } });
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(trained.tokenizerJson));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(trained.tokenizerConfig));
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, bos_token_id: 597, eos_token_id: 597 }));
  return m;
}
