// The native engine's KV-cache session as a BatchLogitsSource for `generateBatch`: one session of
// `batch` rows; prompts are left-padded to the longest and passed with their lengths, so each row
// computes what it would alone (native/README.md, "Decoding with a KV cache").
import type { NativeEngine, NativeModel } from './native/index';
import type { BatchLogitsSource } from './generateBatch';

export function nativeBatchLogitsSource(engine: NativeEngine, model: NativeModel, maxPositions: number, batch: number): BatchLogitsSource {
  const session = new engine.Session(model, { batch, capacity: maxPositions });
  const rowsOf = (logits: Float32Array): Float32Array[] => {
    const V = logits.length / batch;
    return Array.from({ length: batch }, (_, b) => logits.subarray(b * V, (b + 1) * V));
  };
  return {
    maxPositions,
    capacity: maxPositions,
    prefill(rows) {
      if (rows.length !== batch) throw new Error(`nativeBatchLogitsSource: ${rows.length} prompts for a batch of ${batch}`);
      const n = Math.max(...rows.map((r) => r.length));
      const tokens = new Int32Array(batch * n); // padding id 0: masked out
      rows.forEach((r, b) => tokens.set(r, b * n + n - r.length));
      session.reset();
      return rowsOf(session.prefill(tokens, { lengths: Int32Array.from(rows, (r) => r.length) }));
    },
    step(ids) {
      return rowsOf(session.step(Int32Array.from(ids)));
    },
  };
}
