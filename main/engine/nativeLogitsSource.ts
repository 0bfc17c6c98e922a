// The native engine's KV-cache session as a LogitsSource for `generate` (batch 1).
import type { NativeEngine, NativeModel } from './native/index';
import type { LogitsSource } from './generate';

export function nativeLogitsSource(engine: NativeEngine, model: NativeModel, maxPositions: number): LogitsSource {
  const session = new engine.Session(model, { batch: 1, capacity: maxPositions });
  return {
    maxPositions,
    prefill(ids) {
      session.reset();
      return session.prefill(Int32Array.from(ids));
    },
    step(id) {
      return session.step(Int32Array.of(id));
    },
  };
}
