// A look at a build in progress: the latest checkpoint in the cache folder, loaded with the
// untrained model's config and tokenizer (init/), continues a few prompts. Reads only; the
// running build is not disturbed (the checkpoint folder is swapped whole by rename).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadNativeEngine } from '../native/index';
import { modelSpecWithFiles } from '../modelSpecWithFiles';
import { modelSpecialIds } from '../modelSpecialIds';
import { Tokenizer } from '../tokenizer/Tokenizer';
import { generate } from '../generate';
import { nativeLogitsSource } from '../nativeLogitsSource';
import { SAMPLE_PROMPTS, SAMPLE_SETTINGS } from './writeDefaultModelFolder';

export function sampleCheckpoint(cacheDir: string, prompts: string[] = SAMPLE_PROMPTS): { step: number; samples: { prompt: string; text: string }[] } {
  const init = join(cacheDir, 'init');
  const checkpoint = existsSync(join(cacheDir, 'checkpoint')) ? join(cacheDir, 'checkpoint') : join(cacheDir, 'checkpoint.old');
  if (!existsSync(join(checkpoint, 'model.safetensors'))) throw new Error(`${cacheDir} has no checkpoint yet`);
  const step = (JSON.parse(readFileSync(join(checkpoint, 'trainer_state.json'), 'utf8')) as { step: number }).step;
  const dir = mkdtempSync(join(tmpdir(), 'default-model-sample-'));
  try {
    for (const f of ['config.json', 'generation_config.json', 'tokenizer.json', 'tokenizer_config.json']) copyFileSync(join(init, f), join(dir, f));
    copyFileSync(join(checkpoint, 'model.safetensors'), join(dir, 'model.safetensors'));
    const engine = loadNativeEngine();
    const spec = modelSpecWithFiles(dir);
    const model = new engine.Model({ ...spec, backend: 'cpu' });
    const tok = Tokenizer.fromModelDir(dir);
    const samples = prompts.map((prompt) => ({
      prompt,
      text: generate(nativeLogitsSource(engine, model, spec.maxPositions), tok, prompt, { ...SAMPLE_SETTINGS, stopIds: modelSpecialIds(dir).eos }).text,
    }));
    return { step, samples };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
