// `npm run build:default-model [-- --threads N] [--stop-after N] [--record-first-steps N] [--sample]`:
// builds (or resumes building) the default model; see main/engine/defaultModel/buildDefaultModel.ts.
// --sample prints what the latest checkpoint of the build writes after the card's prompts.
// --record-first-steps N runs the recipe's first N steps in a fresh temporary cache folder and
// writes their losses and weight digest to resources/default-model/first-steps.json, the values
// CI compares bit for bit (test/defaultModel/firstSteps.test.ts).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDefaultModel, defaultModelCacheDir } from '../main/engine/defaultModel/buildDefaultModel';
import { loadDefaultModelRecipe } from '../main/engine/defaultModel/defaultModelRecipe';
import { sampleCheckpoint } from '../main/engine/defaultModel/sampleCheckpoint';
import { defaultModelDir } from '../main/engine/defaultModel/defaultModelRecipe';
import { loadNativeEngine } from '../main/engine/native/index';
import { nativeEngineInfo } from '../main/engine/native/nativeEngineInfo';

function intArg(name: string): number | undefined {
  const i = process.argv.indexOf(name);
  if (i < 0) return undefined;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name}: expected a positive integer, got ${process.argv[i + 1]}`);
  return v;
}

async function main(): Promise<void> {
  const threads = intArg('--threads');
  if (process.argv.includes('--sample')) {
    if (threads) loadNativeEngine().setThreads(threads);
    const r = sampleCheckpoint(defaultModelCacheDir(loadDefaultModelRecipe().sha256));
    process.stdout.write(`step ${r.step}\n${r.samples.map((s) => `${s.prompt}|${s.text}`).join('\n')}\n`);
    return;
  }
  const record = intArg('--record-first-steps');
  if (record) {
    const cacheDir = mkdtempSync(join(tmpdir(), 'default-model-first-steps-'));
    try {
      const r = await buildDefaultModel({ cacheDir, stopAfter: record, threads });
      const file = join(defaultModelDir(), 'first-steps.json');
      // The bits are those of this machine's GEMM kernel (the same for any thread count).
      const kernel = nativeEngineInfo(loadNativeEngine()).kernel;
      writeFileSync(file, `${JSON.stringify({ recipeSha256: r.recipeSha256, kernel, steps: record, losses: r.losses, weightDigest: r.weightDigest }, null, 2)}\n`);
      process.stderr.write(`recorded ${file}\n`);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
    return;
  }
  const r = await buildDefaultModel({ threads, stopAfter: intArg('--stop-after') });
  process.stderr.write(r.finished ? `done: step ${r.step}, weights ${r.weightDigest}\n` : `stopped at step ${r.step} (run again to continue from ${r.cacheDir})\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`build:default-model: ${(err as Error).message}\n`);
  process.exit(1);
});
