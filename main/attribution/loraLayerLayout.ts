// How a LoRA adapter's factors group into transformer layers, and the per-layer random projection
// of its gradients. DataInf's inverse-Hessian approximation is block-diagonal by layer, so a
// gradient projected as one vector (projectedExampleGrads) would lose what it needs: each layer's
// gradient is projected on its own to kPerLayer values (seed + layer index), and a stored row is
// the layers' projections side by side. Inner products stay unbiased within each layer (JL), so a
// whole-row dot product still estimates the full gradient product TracIn needs.
import { loadNativeEngine } from '../engine/native/index';

export interface LoraLayerLayout {
  /** tensor names in the engine's getLoraGrads order */
  names: string[];
  /** per name: its layer group, 0..layers-1 (layers in model order) */
  layerOf: number[];
  layers: number;
  /** d_l: LoRA parameters per layer group (unprojected) */
  paramsPerLayer: number[];
}

/** The model's layer index in a PEFT LoRA tensor name (Llama `.layers.N.`, GPT-2 `.h.N.`). */
export function layerIndexOf(name: string): number {
  const m = /\.(?:layers|h)\.(\d+)\./.exec(name);
  if (!m) throw new Error(`LoRA tensor "${name}" names no transformer layer (.layers.N. or .h.N.)`);
  return Number(m[1]);
}

export function loraLayerLayout(tensors: Record<string, { data: Float32Array }>): LoraLayerLayout {
  const names = Object.keys(tensors);
  if (names.length === 0) throw new Error('the model has no LoRA tensors (add the adapter first)');
  const modelLayers = [...new Set(names.map(layerIndexOf))].sort((a, b) => a - b);
  const layerOf = names.map((n) => modelLayers.indexOf(layerIndexOf(n)));
  const paramsPerLayer = modelLayers.map(() => 0);
  names.forEach((n, i) => (paramsPerLayer[layerOf[i]!]! += tensors[n]!.data.length));
  return { names, layerOf, layers: modelLayers.length, paramsPerLayer };
}

/** Each layer's gradient as one vector (its tensors concatenated in layout order). */
export function flattenByLayer(layout: LoraLayerLayout, grads: Record<string, { data: Float32Array }>): Float32Array[] {
  const out = layout.paramsPerLayer.map((d) => new Float32Array(d));
  const at = layout.paramsPerLayer.map(() => 0);
  layout.names.forEach((n, i) => {
    const g = grads[n];
    if (!g) throw new Error(`gradient of LoRA tensor "${n}" is missing`);
    const l = layout.layerOf[i]!;
    out[l]!.set(g.data, at[l]!);
    at[l]! += g.data.length;
  });
  return out;
}

/** Writes layer l's projection (kPerLayer values, seed + l) at out[offset + l·kPerLayer ...]. */
export function projectByLayer(layout: LoraLayerLayout, grads: Record<string, { data: Float32Array }>, kPerLayer: number, seed: number, out: Float32Array, offset = 0): void {
  const engine = loadNativeEngine();
  flattenByLayer(layout, grads).forEach((v, l) => out.set(engine.projectVector(v, kPerLayer, seed + l), offset + l * kPerLayer));
}
