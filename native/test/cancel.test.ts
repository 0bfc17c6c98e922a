import { Worker } from 'node:worker_threads';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { engine, maxAbsDiff } from './helpers/engine.js';
import { llamaSpec, writeTinyModel } from './helpers/tinyModels.js';
import { nativeEnginePath } from '../../main/engine/native/index.js';

// setCancelSignal (native/src/cancel.h): engine calls on a thread stop with ENGINE_CANCELLED once
// the shared flag is set, including when another thread sets it while this one is blocked in a
// synchronous loop of engine calls (a job's worker in a training chunk).
const caught = (f: () => unknown): { code?: string; message: string } | null => {
  try {
    f();
    return null;
  } catch (e) {
    return e as { code?: string; message: string };
  }
};

describe('cancel signal', () => {
  afterEach(() => engine.setCancelSignal(null));
  const spec = writeTinyModel(llamaSpec(), 3);
  const T = 6;
  const tokens = Int32Array.from({ length: T }, (_, i) => (i * 5 + 1) % spec.vocabSize);
  const targets = Int32Array.from({ length: T }, (_, i) => (i * 7 + 2) % spec.vocabSize);

  it('accepts only an Int32Array over shared memory (another thread must be able to write it)', () => {
    expect(() => engine.setCancelSignal(new Int32Array(1))).toThrow(/Int32Array over a SharedArrayBuffer/);
    expect(() => engine.setCancelSignal(new Float32Array(new SharedArrayBuffer(4)) as unknown as Int32Array)).toThrow(/Int32Array over a SharedArrayBuffer/);
    expect(() => engine.setCancelSignal(new Int32Array(new SharedArrayBuffer(0)))).toThrow(/Int32Array over a SharedArrayBuffer/);
    expect(() => engine.setCancelSignal(new Int32Array(new SharedArrayBuffer(4)))).not.toThrow();
  });

  it('a set flag stops forward, decoding and training with ENGINE_CANCELLED; cleared, the model works as before', () => {
    const m = new engine.Model(spec);
    const before = m.forward(tokens, 1, T);
    m.addLora({ targets: ['q', 'v'], rank: 2, alpha: 4 });
    const flag = new Int32Array(new SharedArrayBuffer(4));
    engine.setCancelSignal(flag);
    expect(maxAbsDiff(m.forward(tokens, 1, T), before)).toBe(0); // not set: no effect
    Atomics.store(flag, 0, 1);
    const session = new engine.Session(m, { batch: 1, capacity: 16 });
    for (const f of [() => m.forward(tokens, 1, T), () => session.prefill(tokens), () => m.forwardBackward({ tokens, targets, batch: 1, seq: T })]) {
      const e = caught(f);
      expect(e?.code).toBe('ENGINE_CANCELLED');
      expect(e?.message).toMatch(/stopped by a cancel request/);
    }
    Atomics.store(flag, 0, 0);
    expect(maxAbsDiff(m.forward(tokens, 1, T), before)).toBe(0);
    expect(Number.isFinite(m.forwardBackward({ tokens, targets, batch: 1, seq: T }).loss)).toBe(true);
  });

  it('another thread setting the flag stops a worker that never returns to its event loop', async () => {
    const flag = new SharedArrayBuffer(4);
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const e = require(workerData.addon);
      e.setCancelSignal(new Int32Array(workerData.flag));
      const m = new e.Model(workerData.spec);
      m.addLora({ targets: ['q', 'v'], rank: 2, alpha: 4 });
      parentPort.postMessage({ started: true });
      // Synchronous: no message can reach this thread until the loop ends.
      let steps = 0, error = null;
      try {
        for (; steps < 1e7; steps++) m.forwardBackward({ tokens: workerData.tokens, targets: workerData.targets, batch: 1, seq: workerData.T });
      } catch (err) { error = { code: err.code, message: err.message }; }
      parentPort.postMessage({ steps, error });
    `;
    const w = new Worker(code, { eval: true, workerData: { addon: path.resolve(nativeEnginePath()), spec, tokens, targets, T, flag } });
    const result = await new Promise<{ steps: number; error: { code: string } | null }>((resolve, reject) => {
      w.on('message', (m: { started?: boolean; steps?: number; error?: { code: string } | null }) => {
        if (m.started) Atomics.store(new Int32Array(flag), 0, 1);
        else resolve(m as { steps: number; error: { code: string } | null });
      });
      w.once('error', reject);
    });
    await w.terminate();
    expect(result.error?.code).toBe('ENGINE_CANCELLED');
    expect(result.steps).toBeLessThan(1e7);
  });

  it('terminating a worker in the middle of engine calls ends the worker, not the process', async () => {
    // The job runner's last resort after a cancel. The call in progress cannot throw its result
    // into a terminating thread; the addon must swallow that (NODE_API_SWALLOW_UNTHROWABLE_EXCEPTIONS)
    // instead of letting the C++ exception reach std::terminate, which would end this process.
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const e = require(workerData.addon);
      const m = new e.Model(workerData.spec);
      m.addLora({ targets: ['q', 'v'], rank: 2, alpha: 4 });
      parentPort.postMessage('started');
      for (;;) m.forwardBackward({ tokens: workerData.tokens, targets: workerData.targets, batch: 1, seq: workerData.T });
    `;
    for (let round = 0; round < 5; round++) {
      const w = new Worker(code, { eval: true, workerData: { addon: path.resolve(nativeEnginePath()), spec, tokens, targets, T } });
      await new Promise<void>((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
      });
      await new Promise((r) => setTimeout(r, 20 * round)); // land the termination at different points
      expect(await w.terminate()).toBe(1);
    }
    const m = new engine.Model(spec);
    expect(m.forward(tokens, 1, T).length).toBe(T * spec.vocabSize);
  });
});
