// The base model with an adapter set up for gradients (addLora + setLoraTensors on a CPU model of
// its own): the serving path keeps adapters in the LoRA bank, which computes no gradients, so
// attribution loads its own copy. Used for the record store and for query-time token gradients.
import { loadNativeEngine, type NativeModel } from '../engine/native/index';
import { modelSpecWithFiles } from '../engine/modelSpecWithFiles';
import type { LoraAdapter } from '../engine/peft/LoraAdapter';
import { peftTensors } from '../engine/peft/peftTensors';
import { loraLayerLayout, type LoraLayerLayout } from './loraLayerLayout';

export interface GradientModelWithLayout {
  model: NativeModel;
  layout: LoraLayerLayout;
  maxPositions: number;
}

export function loadGradientModel(modelDir: string, adapter: LoraAdapter): GradientModelWithLayout {
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(modelDir);
  const model = new engine.Model({ ...spec, backend: 'cpu' });
  const c = adapter.config;
  model.addLora({ targets: c.targetModules, rank: c.r, alpha: c.alpha, rslora: c.useRslora, dropout: 0 });
  const tensors = peftTensors(adapter);
  model.setLoraTensors(tensors);
  // Only the adapter's own factors: modules addLora adds beyond them (zero B) are not its parameters.
  const all = model.getLoraTensors();
  const own = Object.fromEntries(Object.entries(all).filter(([n]) => n in tensors));
  return { model, layout: loraLayerLayout(own), maxPositions: spec.maxPositions };
}
