import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { engine, maxAbsDiff } from './helpers/engine.js';
import { gpt2Spec, writeTinyModel } from './helpers/tinyModels.js';
import { nativeEnginePath } from '../../main/engine/native/index.js';

// The app runs engine jobs in worker threads: the addon must load in several at once, and their
// parallel regions (one shared pool) must not interfere.
describe('worker threads', () => {
  it('runs models in two workers at the same time with the same results as the main thread', async () => {
    const spec = writeTinyModel(gpt2Spec(), 3);
    const T = 8;
    const tokens = Int32Array.from({ length: T }, (_, i) => (i * 5) % spec.vocabSize);
    const expected = new engine.Model(spec).forward(tokens, 1, T);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const e = require(workerData.addon);
      const m = new e.Model(workerData.spec);
      const s = new e.Session(m, { batch: 1, capacity: 16 });
      let out;
      for (let r = 0; r < 50; r++) out = m.forward(workerData.tokens, 1, workerData.T);
      s.prefill(workerData.tokens);
      parentPort.postMessage(out);
    `;
    const run = () =>
      new Promise<Float32Array>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { addon: path.resolve(nativeEnginePath()), spec, tokens, T } });
        w.once('message', (m: Float32Array) => resolve(m));
        w.once('error', reject);
      });
    const [a, b] = await Promise.all([run(), run()]);
    expect(maxAbsDiff(a, expected)).toBe(0);
    expect(maxAbsDiff(b, expected)).toBe(0);
  });
});
