import { afterAll, describe, expect, it } from 'vitest';
import { bitsEqual, engine } from './helpers/engine.js';
import { llamaSpec, writeTinyModel } from './helpers/tinyModels.js';

// The pool ends a parallel region when its tasks are done, not when every worker has looked at it
// (threadpool.h). The previous behaviour stays as the reference mode (setPoolWaitsForWorkers):
// both, on 2 threads, must decode exactly what 1 thread does, and the pool's counters must say
// the regions really ran in parallel.
describe('thread pool', () => {
  const threads = engine.getThreads();
  afterAll(() => {
    engine.setPoolWaitsForWorkers(false);
    engine.setThreads(threads);
  });

  // Wide enough that every linear is several 64-output panels (several tasks a region).
  const spec = writeTinyModel(llamaSpec({ vocabSize: 700, hiddenSize: 192, numHeads: 6, numKvHeads: 2, headDim: 32, intermediateSize: 320, maxPositions: 96 }), 11);
  const prompt = Int32Array.from({ length: 9 }, (_, i) => (i * 37 + 5) % 700);

  const decode = (steps: number) => {
    const model = new engine.Model(spec);
    const s = new engine.Session(model, { batch: 2, capacity: 64 });
    const out: Float32Array[] = [s.prefill(Int32Array.from([...prompt, ...prompt.map((t) => (t * 3) % 700)]))];
    for (let i = 0; i < steps; i++) out.push(s.step(Int32Array.of((i * 11) % 700, (i * 13 + 1) % 700)));
    return out;
  };

  it('decodes the same bits on 2 threads, in both pool modes, as on 1 thread', () => {
    engine.setThreads(1);
    engine.resetPoolStats();
    const one = decode(12);
    expect(engine.poolStats().regions).toBe(0); // one thread: every region runs inline

    engine.setThreads(2);
    for (const waitForWorkers of [false, true, false]) {
      engine.setPoolWaitsForWorkers(waitForWorkers);
      engine.resetPoolStats();
      const two = decode(12);
      const stats = engine.poolStats();
      expect(stats.regions).toBeGreaterThan(100);
      expect(stats.tasks).toBeGreaterThan(stats.regions);
      expect(stats.workerTasks).toBeLessThanOrEqual(stats.tasks);
      expect(stats.callerWaitMs).toBeGreaterThanOrEqual(0);
      expect(two.length).toBe(one.length);
      two.forEach((logits, i) => expect(bitsEqual(logits, one[i]!), `mode ${waitForWorkers}, call ${i}`).toBe(true));
    }
  });

  it('keeps working across many short regions and thread-count changes', () => {
    const expected = decode(3);
    for (const n of [2, 3, 1, 2]) {
      engine.setThreads(n);
      for (let r = 0; r < 3; r++) {
        const got = decode(3);
        got.forEach((logits, i) => expect(bitsEqual(logits, expected[i]!)).toBe(true));
      }
    }
  });

  it('rejects a non-boolean mode', () => {
    expect(() => engine.setPoolWaitsForWorkers(1 as unknown as boolean)).toThrow(/must be a boolean/);
  });
});
