// Full-parameter training end to end on the native engine, through runTraining (the engine.train
// job's body): the loss falls, the result is a Hugging Face folder the engine and tokenizer load
// again, and a run stopped after a checkpoint and resumed (with gradient checkpointing switched on)
// writes the same bytes as one straight run.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { buildTestModel } from '../../testModels/buildTestModel';
import { modelSpecWithFiles } from '../../modelSpecWithFiles';
import { loadNativeEngine } from '../../native/index';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { runTraining, type TrainingRunConfig, type TrainingRunHooks } from '../runTraining';
import { loadFullTrainingCheckpoint } from '../fullTrainingCheckpoint';

const tmp = makeTmpDir('train-full');
afterAll(tmp.cleanup);

const DATA = [
  '{"prompt":"Who keeps the data?","response":" The curators keep it."}',
  '{"prompt":"Where does training run?","response":" On the local machine."}',
  '{"text":"Every weight of the model moves when all of them are trained."}',
  '{"prompt":"What does the heatmap show?","response":" Which records shaped each token."}',
].join('\n');

function hooks(stopAfterFirstChunk = false): TrainingRunHooks & { logs: string[] } {
  const logs: string[] = [];
  return {
    logs,
    progress: () => undefined,
    log: (_level, message) => logs.push(message),
    betweenChunks: () => Promise.resolve(stopAfterFirstChunk),
  };
}

describe.each(['gpt2', 'llama'] as const)('full-parameter training (%s)', (family) => {
  const m = buildTestModel(join(tmp.dir, family), { family });
  const data = join(tmp.dir, `${family}.jsonl`);
  writeFileSync(data, DATA);
  const config = (out: string): TrainingRunConfig => ({
    model: m.dir, data, out, mode: 'full', rank: 8, alpha: 16, dropout: 0, rslora: false, steps: 8, lr: 3e-3, schedule: 'cosine',
    warmup: 2, batch: 2, seq: 20, accumulation: 2, weightDecay: 0.1, maxGradNorm: 1, seed: 3, checkpointEvery: 3, device: 'auto',
  });

  it('trains every weight, writes an HF folder that loads again; stop + resume equals one straight run, bit for bit', async () => {
    const straightOut = join(tmp.dir, `${family}-straight`);
    const h = hooks();
    const s = await runTraining(config(straightOut), join(tmp.dir, `${family}-run-a`), false, h);
    expect(s.mode).toBe('full');
    expect(s.device).toEqual({ kind: 'cpu', fallbackReason: expect.stringMatching(/CPU engine only/) as unknown as string });
    expect(h.logs.some((l) => /Model written to/.test(l))).toBe(true);
    expect(s.losses.slice(-2).reduce((a, b) => a + b)).toBeLessThan(s.losses.slice(0, 2).reduce((a, b) => a + b));
    expect(readdirSync(straightOut).sort()).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
    expect(readdirSync(straightOut).some((f) => f.includes('tmp'))).toBe(false);
    const engine = loadNativeEngine();
    const trained = new engine.Model(modelSpecWithFiles(straightOut));
    const base = new engine.Model(modelSpecWithFiles(m.dir));
    expect(s.trainableParameters).toBeGreaterThan(1000);
    // the folder's tokenizer and weights work: lower loss on the training text than the base
    const tok = Tokenizer.fromModelDir(straightOut);
    const ids = tok.encode('Every weight of the model moves when all of them are trained.');
    const batch = { tokens: Int32Array.from(ids.slice(0, -1)), targets: Int32Array.from(ids.slice(1)), batch: 1, seq: ids.length - 1 };
    expect(trained.evalLoss(batch).loss).toBeLessThan(base.evalLoss(batch).loss);

    // stopped after the first chunk (3 steps), resumed from its checkpoint on disk
    const runB = join(tmp.dir, `${family}-run-b`);
    const resumedOut = join(tmp.dir, `${family}-resumed`);
    await expect(runTraining(config(resumedOut), runB, false, hooks(true))).rejects.toThrow(/stopped at step 3 of 8/);
    expect(existsSync(resumedOut)).toBe(false);
    const ck = loadFullTrainingCheckpoint(join(runB, 'checkpoint'));
    expect(ck.step).toBe(3);
    expect(ck.optimizer.step).toBe(3);
    expect(Object.keys(ck.optimizer.m).sort()).toEqual(Object.keys(ck.parameters).sort());
    // resumed with gradient checkpointing on: the same bits (it only trades memory for time)
    const r = await runTraining({ ...config(resumedOut), gradientCheckpointing: true }, runB, true, hooks());
    expect(r.resumedFromStep).toBe(3);
    expect(r.losses).toEqual(s.losses.slice(3));
    expect(readFileSync(join(resumedOut, 'model.safetensors')).equals(readFileSync(join(straightOut, 'model.safetensors')))).toBe(true);
  });

  it('a diverging run stops naming the step and the last good checkpoint, which stays whole', async () => {
    const runDir = join(tmp.dir, `${family}-run-nan`);
    // no clipping and an absurd learning rate: the weights blow up within a few steps
    const c = { ...config(join(tmp.dir, `${family}-nan`)), lr: 1e30, maxGradNorm: 0, warmup: 0, schedule: 'constant' as const, checkpointEvery: 1 };
    const err = (await runTraining(c, runDir, false, hooks()).catch((e: unknown) => e)) as Error;
    const m = /^step (\d+) of 8: (.*); the last good checkpoint \(step (\d+)\) is (.*)$/.exec(err.message);
    expect(m, err.message).not.toBeNull();
    const [, failed, why, good, dir] = m!;
    expect(why).toMatch(/not finite/);
    expect(Number(good)).toBeGreaterThan(0);
    expect(dir).toBe(join(runDir, 'checkpoint'));
    expect(Number(failed)).toBe(Number(good) + 1);
    expect(loadFullTrainingCheckpoint(join(runDir, 'checkpoint')).step).toBe(Number(good));
    expect(existsSync(join(tmp.dir, `${family}-nan`))).toBe(false);
  });

  it("refuses device 'cuda' naming why, before touching anything", async () => {
    await expect(runTraining({ ...config(join(tmp.dir, `${family}-cuda`)), device: 'cuda' }, join(tmp.dir, `${family}-run-c`), false, hooks())).rejects.toThrow(
      /device: full-parameter training runs on the CPU engine only/,
    );
    expect(existsSync(join(tmp.dir, `${family}-run-c`))).toBe(false);
  });
});
