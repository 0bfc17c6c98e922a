// Puts a PEFT adapter (from loadPeftAdapter) onto a native model: the engine's LoRA slots are
// created for the adapter's target modules, then filled under PEFT names. Modules the targets
// match but the adapter lacks keep B = 0, i.e. no change, as in PEFT.
import type { NativeModel } from '../native/index';
import type { LoraAdapter } from './LoraAdapter';
import { peftTensors } from './peftTensors';

export function applyPeftAdapter(model: NativeModel, adapter: LoraAdapter): void {
  const c = adapter.config;
  model.addLora({ targets: c.targetModules, rank: c.r, alpha: c.alpha, rslora: c.useRslora });
  model.setLoraTensors(peftTensors(adapter));
}
