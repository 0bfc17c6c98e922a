// Weight matrices of 2 MiB or more are mapped 2 MiB-aligned and advised onto transparent huge
// pages (weight_memory.h); setWeightHugePages(false) keeps them on 4 KiB pages, the reference.
// Where the memory sits must not change a value: the same logits, bit for bit, for f32 and bf16
// weights, at batch 1 and 2, 1 and 2 threads. (Whether the kernel granted huge pages depends on
// its THP mode: checked below where the mode allows them.)
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bitsEqual, engine } from './helpers/engine.js';
import { gpt2Spec, writeTinyModel } from './helpers/tinyModels.js';

const thpMode = existsSync('/sys/kernel/mm/transparent_hugepage/enabled') ? /\[(\w+)\]/.exec(readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8'))?.[1] : undefined;
const anonHugeKb = () => Number(/AnonHugePages:\s+(\d+) kB/.exec(readFileSync('/proc/self/smaps_rollup', 'utf8'))?.[1] ?? NaN);

describe('weights on huge pages', () => {
  afterEach(() => {
    engine.setWeightHugePages(true);
    engine.setThreads(1);
  });

  for (const dtype of ['F32', 'BF16'] as const) {
    it(`${dtype}: the same logits as on 4 KiB pages (LM head and embedding over 2 MiB)`, () => {
      // 40,000 x 32 weights: 5.1 MB in f32, 2.6 MB in bf16, both over the 2 MiB threshold.
      const spec = writeTinyModel(gpt2Spec({ vocabSize: 40000, hiddenSize: 32, headDim: 16, intermediateSize: 128 }), 5, dtype);
      const decode = (huge: boolean, threads: number) => {
        engine.setWeightHugePages(huge);
        engine.setThreads(threads);
        const model = new engine.Model({ ...spec, weightDtype: dtype === 'F32' ? 'f32' : 'bf16' });
        const s = new engine.Session(model, { batch: 2, capacity: 16 });
        const out = [s.prefill(Int32Array.of(5, 17, 39999, 2, 8, 1000, 12345, 7))];
        for (const t of [[3, 4], [30000, 9], [1, 2]]) out.push(s.step(Int32Array.from(t)));
        return out;
      };
      const ref = decode(false, 1);
      for (const [huge, threads] of [[true, 1], [true, 2], [false, 2]] as const) {
        decode(huge, threads).forEach((o, k) => expect(bitsEqual(o, ref[k]!), `huge ${huge}, ${threads} threads, call ${k}`).toBe(true));
      }
    });
  }

  // Linux with THP in `madvise` or `always` mode (this project's CI and dev boxes): the advice takes.
  it.runIf(thpMode === 'madvise' || thpMode === 'always')('a model built with huge pages on has its large matrices on 2 MiB pages', () => {
    // 64,000 x 64 f32: a 16 MB LM head/embedding, seven whole 2 MiB pages at least.
    const spec = writeTinyModel(gpt2Spec({ vocabSize: 64000, hiddenSize: 64, headDim: 32, intermediateSize: 128 }), 6);
    const before = anonHugeKb();
    const model = new engine.Model(spec);
    expect(anonHugeKb() - before).toBeGreaterThanOrEqual(7 * 2048);
    expect(model.info().vocabSize).toBe(64000);
  });
});
