// CI's hold on the default model without spending the hour its build takes: the bundled corpus
// still assembles to the bytes the recipe names, and the recipe's first steps, run by the very
// code `npm run build:default-model` runs, give the losses and weights recorded from the real
// build bit for bit. Changing the recipe (or anything that changes those numbers) fails here
// until the values are recorded again with `npm run build:default-model -- --record-first-steps 3`.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { assembleCorpus } from '../assembleCorpus';
import { defaultModelDir, loadDefaultModelRecipe } from '../defaultModelRecipe';
import { buildDefaultModel } from '../buildDefaultModel';
import { loadNativeEngine } from '../../native/index';
import { nativeEngineInfo } from '../../native/nativeEngineInfo';

const tmp = makeTmpDir('default-model-recipe');
afterAll(tmp.cleanup);

interface FirstSteps {
  recipeSha256: string;
  /** The GEMM kernel they were recorded with: another kernel sums in another order. */
  kernel: string;
  steps: number;
  losses: number[];
  weightDigest: string;
}

describe('the default model recipe', () => {
  const recipe = loadDefaultModelRecipe();
  const recorded = JSON.parse(readFileSync(join(defaultModelDir(), 'first-steps.json'), 'utf8')) as FirstSteps;

  it('assembles the corpus whose sha256 the recipe records', () => {
    const corpus = assembleCorpus();
    expect(corpus.sha256).toBe(recipe.recipe.corpus.sha256);
    expect(corpus.heldout.length).toBeGreaterThan(0);
  });

  it('was recorded from this very recipe', () => {
    expect(recorded.recipeSha256, 'recipe.json changed: re-record first-steps.json (npm run build:default-model -- --record-first-steps 3)').toBe(recipe.sha256);
  });

  it('runs its first steps to the recorded losses and weights, bit for bit', async () => {
    const kernel = nativeEngineInfo(loadNativeEngine()).kernel;
    expect(kernel, `first-steps.json was recorded with the ${recorded.kernel} GEMM kernel, this machine's engine uses ${kernel}: the bits differ between kernels (the same for any thread count)`).toBe(recorded.kernel);
    // One thread here, while the values were recorded on two: the engine's sums do not depend on it.
    const r = await buildDefaultModel({ cacheDir: join(tmp.dir, 'cache'), stopAfter: recorded.steps, threads: 1, log: () => undefined });
    expect(r.step).toBe(recorded.steps);
    expect(r.finished).toBe(false);
    expect(r.losses).toEqual(recorded.losses);
    expect(r.weightDigest).toBe(recorded.weightDigest);
  }, 300_000);
});
