// Per-token query gradients of a response: for response token j, the gradient of its loss
// -log p(token_j | prefix) w.r.t. the adapter's LoRA factors, projected per layer
// (loraLayerLayout.ts). Two ways:
// - exact: one forward+backward per token, the mask selecting that token alone (the reference);
// - spans: one forward+backward per span of `span` consecutive tokens (the gradient of the span's
//   summed loss), given to every token of the span. span times fewer passes; what it costs in
//   quality against exact is measured by `npm run -s bench attribution-gradients` (bench/RESULTS.md).
// A context longer than the model's positions is cut on the left: each pass sees the last
// maxPositions tokens before the tokens it scores.
import type { NamedTensor } from '../engine/native/index';
import { projectByLayer, type LoraLayerLayout } from './loraLayerLayout';

/** The native model calls used (NativeModel with the adapter added by addLora + setLoraTensors). */
export interface GradientModel {
  zeroGrad(): void;
  forwardBackward(b: { tokens: Int32Array; targets: Int32Array; mask?: Float32Array; batch: number; seq: number; normalizer?: number; dropout?: boolean }): { loss: number; weight: number };
  getLoraGrads(): Record<string, NamedTensor>;
}

export interface TokenGradientOptions {
  layout: LoraLayerLayout;
  kPerLayer: number;
  seed: number;
  /** the model's positions: longest input of one pass */
  maxPositions: number;
}

/**
 * The gradient of Σ_{t in targets} -log p(ids[t] | ids[..t)) (targets: indexes into ids, each >= 1,
 * ascending), projected per layer into out at offset. Returns false when no target has a prefix.
 */
function projectedLossGrad(model: GradientModel, ids: readonly number[], targets: number[], o: TokenGradientOptions, out: Float32Array, offset: number): boolean {
  const last = targets[targets.length - 1]!;
  const start = Math.max(0, last - o.maxPositions);
  const seq = last - start;
  if (seq < 1) return false;
  const tokens = Int32Array.from({ length: seq }, (_, i) => ids[start + i]!);
  const tgt = Int32Array.from({ length: seq }, (_, i) => ids[start + i + 1]!);
  const mask = new Float32Array(seq);
  let any = false;
  for (const t of targets) {
    if (t - 1 - start >= 0) {
      mask[t - 1 - start] = 1;
      any = true;
    }
  }
  if (!any) return false;
  model.zeroGrad();
  model.forwardBackward({ tokens, targets: tgt, mask, batch: 1, seq, normalizer: 1, dropout: false });
  projectByLayer(o.layout, model.getLoraGrads(), o.kPerLayer, o.seed, out, offset);
  return true;
}

function checkResponse(ids: readonly number[], responseStart: number): void {
  if (!Number.isInteger(responseStart) || responseStart < 0 || responseStart > ids.length) throw new RangeError(`responseStart ${responseStart} is outside 0..${ids.length}`);
}

/** (response tokens, layers·kPerLayer): one pass per token. A token with no prefix gets zeros. */
export function exactTokenGradients(model: GradientModel, ids: readonly number[], responseStart: number, o: TokenGradientOptions): Float32Array {
  checkResponse(ids, responseStart);
  const K = o.layout.layers * o.kPerLayer;
  const n = ids.length - responseStart;
  const out = new Float32Array(n * K);
  for (let j = 0; j < n; j++) projectedLossGrad(model, ids, [responseStart + j], o, out, j * K);
  return out;
}

/** (response tokens, layers·kPerLayer): one pass per span of `span` tokens, shared by its tokens. */
export function spanTokenGradients(model: GradientModel, ids: readonly number[], responseStart: number, span: number, o: TokenGradientOptions): Float32Array {
  checkResponse(ids, responseStart);
  if (!Number.isInteger(span) || span < 1) throw new RangeError('span must be a positive integer');
  const K = o.layout.layers * o.kPerLayer;
  const n = ids.length - responseStart;
  const out = new Float32Array(n * K);
  for (let a = 0; a < n; a += span) {
    const b = Math.min(n, a + span);
    const targets = Array.from({ length: b - a }, (_, i) => responseStart + a + i);
    if (!projectedLossGrad(model, ids, targets, o, out, a * K)) continue;
    for (let j = a + 1; j < b; j++) out.copyWithin(j * K, a * K, (a + 1) * K);
  }
  return out;
}
