// The recipe of the default model (resources/default-model/recipe.json): everything that decides
// its bytes. Its sha256 names the build's cache folder, so a checkpoint of one recipe is never
// resumed by another, and CI's first-steps check records which recipe it was taken from.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const int = z.number().int();

export const DefaultModelRecipeSchema = z.strictObject({
  version: z.literal(1),
  corpus: z.strictObject({
    /** sha256 of the assembled corpus text (assembleCorpus): the build refuses other text. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  tokenizer: z.strictObject({ vocabSize: int.min(300), minFrequency: int.min(1) }),
  model: z.strictObject({
    hiddenSize: int.positive(),
    numLayers: int.positive(),
    numHeads: int.positive(),
    numKvHeads: int.positive(),
    headDim: int.positive(),
    intermediateSize: int.positive(),
    maxPositions: int.positive(),
    ropeTheta: z.number().positive(),
    normEps: z.number().positive(),
    /** Std of the normal init; residual output projections get initStd / sqrt(2 x layers). */
    initStd: z.number().positive(),
  }),
  training: z.strictObject({
    seed: int.nonnegative(),
    steps: int.positive(),
    batch: int.positive(),
    seq: int.positive(),
    accumulation: int.positive(),
    lr: z.number().positive(),
    schedule: z.enum(['constant', 'linear', 'cosine']),
    warmup: int.nonnegative(),
    weightDecay: z.number().nonnegative(),
    maxGradNorm: z.number().nonnegative(),
    checkpointEvery: int.positive(),
  }),
  output: z.strictObject({ dtype: z.enum(['bf16', 'f16']) }),
});

export type DefaultModelRecipe = z.infer<typeof DefaultModelRecipeSchema>;

export interface LoadedRecipe {
  recipe: DefaultModelRecipe;
  /** sha256 of the recipe file's bytes. */
  sha256: string;
  path: string;
}

/**
 * resources/default-model in the nearest folder above this module that has one: the sources
 * (main/engine/defaultModel/) and the esbuild bundles (dist/node/) sit at different depths.
 */
export function defaultModelDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; ) {
    const candidate = join(dir, 'resources', 'default-model');
    if (existsSync(join(candidate, 'recipe.json'))) return candidate;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`resources/default-model/recipe.json not found in any folder above ${here}`);
}

export function loadDefaultModelRecipe(path = join(defaultModelDir(), 'recipe.json')): LoadedRecipe {
  const bytes = readFileSync(path);
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON: ${(e as Error).message}`);
  }
  const r = DefaultModelRecipeSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${path}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const m = r.data.model;
  if (m.numHeads % m.numKvHeads !== 0) throw new Error(`${path}: model.numKvHeads: ${m.numKvHeads} does not divide numHeads ${m.numHeads}`);
  if (r.data.training.seq > m.maxPositions) throw new Error(`${path}: training.seq: ${r.data.training.seq} is longer than model.maxPositions ${m.maxPositions}`);
  return { recipe: r.data, sha256: createHash('sha256').update(bytes).digest('hex'), path };
}
