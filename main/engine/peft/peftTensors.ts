import type { LoraAdapter } from './LoraAdapter';
import { PEFT_PREFIX } from './savePeftAdapter';

/** An adapter's factors under their PEFT names, as the engine's setLoraTensors and loraBankAdd take
 * them (the Float32Arrays themselves, not copies). */
export function peftTensors(adapter: LoraAdapter): Record<string, Float32Array> {
  const tensors: Record<string, Float32Array> = {};
  for (const [name, { A, B }] of adapter.modules) {
    tensors[`${PEFT_PREFIX}${name}.lora_A.weight`] = A.data;
    tensors[`${PEFT_PREFIX}${name}.lora_B.weight`] = B.data;
  }
  return tensors;
}
