// Packs tokenized records into the (batch, seq) arrays the engine trains on: tokens[i] is an
// input, targets[i] the token that follows it, mask[i] the weight of that prediction. Each row
// holds one record truncated to seq + 1 tokens; short rows are padded with target -1 (ignored).
import type { TokenizedRecord } from './tokenizeRecord';

export interface TrainBatchArrays {
  tokens: Int32Array;
  targets: Int32Array;
  mask: Float32Array;
  batch: number;
  seq: number;
}

export function makeTrainBatch(rows: TokenizedRecord[], seq: number, padId: number): TrainBatchArrays {
  const batch = rows.length;
  const tokens = new Int32Array(batch * seq).fill(padId);
  const targets = new Int32Array(batch * seq).fill(-1);
  const mask = new Float32Array(batch * seq);
  rows.forEach((r, b) => {
    const n = Math.min(r.ids.length - 1, seq);
    for (let i = 0; i < n; i++) {
      tokens[b * seq + i] = r.ids[i]!;
      const w = r.weights[i + 1]!;
      targets[b * seq + i] = w > 0 ? r.ids[i + 1]! : -1;
      mask[b * seq + i] = w;
    }
  });
  return { tokens, targets, mask, batch, seq };
}
