// End to end with the native engine: train a few LoRA steps on
// instruction data, save the adapter in PEFT layout, load it back, and check that the reference
// forward pass with the loaded adapter computes what the trained engine computes.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { maxAbsDiff } from '../../test/maxAbsDiff';
import { buildTestModel } from '../../testModels/buildTestModel';
import { modelSpecWithFiles } from '../../modelSpecWithFiles';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { loadReferenceModel } from '../../reference/ReferenceModel';
import { referenceForward } from '../../reference/referenceForward';
import { savePeftAdapter } from '../../peft/savePeftAdapter';
import { loadPeftAdapter } from '../../peft/loadPeftAdapter';
import { loadNativeEngine } from '../../native/index';
import { trainLora } from '../trainLora';
import { parseTrainingRecords } from '../readTrainingRecords';

const tmp = makeTmpDir('train');
afterAll(tmp.cleanup);

const DATA = [
  '{"prompt":"Who keeps the data?","response":" The curators keep it."}',
  '{"prompt":"Where does training run?","response":" On the local machine."}',
  '{"text":"Adapters travel between machines in the same layout."}',
  '{"prompt":"What does the heatmap show?","response":" Which records shaped each token."}',
].join('\n');

describe.each(['llama', 'gpt2'] as const)('trainLora on the native engine (%s)', (family) => {
  it('lowers the loss and round-trips the adapter through PEFT files', () => {
    const m = buildTestModel(join(tmp.dir, family), { family });
    const engine = loadNativeEngine();
    const model = new engine.Model(modelSpecWithFiles(m.dir));
    const tok = Tokenizer.fromModelDir(m.dir);
    const targets = family === 'gpt2' ? ['c_attn', 'c_proj'] : ['q_proj', 'v_proj', 'down_proj'];
    const eos = family === 'gpt2' ? 50256 : 2;
    const r = trainLora(model, m.spec, tok, parseTrainingRecords(DATA), {
      targets, rank: 4, alpha: 8, steps: 30, batch: 2, seq: 24, accumulation: 2, seed: 1, eosId: eos, padId: eos,
      schedule: { lr: 1e-2, kind: 'cosine', warmupSteps: 3 }, maxGradNorm: 1,
    });
    const early = r.losses.slice(0, 3).reduce((a, b) => a + b) / 3;
    const late = r.losses.slice(-3).reduce((a, b) => a + b) / 3;
    expect(late).toBeLessThan(early * 0.8);

    const dir = join(tmp.dir, `${family}-adapter`);
    savePeftAdapter(dir, r.adapter);
    const loaded = loadPeftAdapter(dir, m.spec);
    expect(loaded.config.targetModules.sort()).toEqual(targets.sort());
    const ids = tok.encode('Who keeps the data?');
    const V = m.spec.vocabSize;
    const logits = model.forward(Int32Array.from(ids), 1, ids.length);
    const rows = ids.map((_, t) => logits.subarray(t * V, (t + 1) * V));
    expect(maxAbsDiff(rows, referenceForward(loadReferenceModel(m.dir), ids, { lora: loaded }))).toBeLessThan(1e-4);
  });
});

describe('exact resume from a checkpoint', () => {
  it('5 steps + checkpoint on disk + 5 steps equals 10 steps straight, bit for bit', async () => {
    const { saveTrainingCheckpoint, loadTrainingCheckpoint } = await import('../trainingCheckpoint');
    const m = buildTestModel(join(tmp.dir, 'resume'), { family: 'llama' });
    const engine = loadNativeEngine();
    const tok = Tokenizer.fromModelDir(m.dir);
    const records = parseTrainingRecords(DATA);
    const opts = {
      targets: ['q_proj', 'v_proj'], rank: 4, alpha: 8, dropout: 0.1, steps: 10, batch: 2, seq: 24, seed: 3, eosId: 2, padId: 2,
      schedule: { lr: 5e-3, kind: 'cosine' as const, warmupSteps: 2 }, weightDecay: 0.01,
    };
    const straight = trainLora(new engine.Model(modelSpecWithFiles(m.dir)), m.spec, tok, records, opts);
    const first = trainLora(new engine.Model(modelSpecWithFiles(m.dir)), m.spec, tok, records, { ...opts, stopAt: 5 });
    const ckpt = join(tmp.dir, 'ckpt');
    saveTrainingCheckpoint(ckpt, first.checkpoint);
    const second = trainLora(new engine.Model(modelSpecWithFiles(m.dir)), m.spec, tok, records, { ...opts, resume: loadTrainingCheckpoint(ckpt, m.spec) });
    expect([...first.losses, ...second.losses]).toEqual(straight.losses);
    for (const [name, pair] of straight.adapter.modules) {
      expect(second.adapter.modules.get(name)!.A.data).toEqual(pair.A.data);
      expect(second.adapter.modules.get(name)!.B.data).toEqual(pair.B.data);
    }
    expect(second.position).toEqual(straight.position);
  });
});

describe('checkpoint swap', () => {
  it('overwrites an older checkpoint, and a crash between the renames still leaves one to load', async () => {
    const { saveTrainingCheckpoint, loadTrainingCheckpoint } = await import('../trainingCheckpoint');
    const m = buildTestModel(join(tmp.dir, 'swap'), { family: 'llama' });
    const engine = loadNativeEngine();
    const tok = Tokenizer.fromModelDir(m.dir);
    const records = parseTrainingRecords(DATA);
    const opts = { targets: ['q_proj'], rank: 2, alpha: 4, steps: 4, batch: 1, seq: 16, seed: 1, eosId: 2, padId: 2, schedule: { lr: 1e-3, kind: 'constant' as const, warmupSteps: 0 } };
    const a = trainLora(new engine.Model(modelSpecWithFiles(m.dir)), m.spec, tok, records, { ...opts, stopAt: 2 });
    const b = trainLora(new engine.Model(modelSpecWithFiles(m.dir)), m.spec, tok, records, { ...opts, stopAt: 3 });
    const ckpt = join(tmp.dir, 'swap-ckpt');
    saveTrainingCheckpoint(ckpt, a.checkpoint);
    saveTrainingCheckpoint(ckpt, b.checkpoint);
    expect(loadTrainingCheckpoint(ckpt, m.spec).step).toBe(b.checkpoint.step);
    expect(existsSync(`${ckpt}.old`)).toBe(false);
    // The state a crash right after the first rename leaves behind.
    renameSync(ckpt, `${ckpt}.old`);
    expect(loadTrainingCheckpoint(ckpt, m.spec).step).toBe(b.checkpoint.step);
  });
});
