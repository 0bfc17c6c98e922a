// Writes an adapter in PEFT's layout so Hugging Face PEFT loads it: adapter_config.json and
// adapter_model.safetensors with tensors named
//   base_model.model.<module>.lora_A.weight  [r, in]
//   base_model.model.<module>.lora_B.weight  [out, r]
// (PEFT strips the adapter name "default" when saving).
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors } from '../safetensors/writeSafetensors';
import type { FloatDtype } from '../safetensors/dtype';
import type { Tensor } from '../tensor';
import type { LoraAdapter } from './LoraAdapter';

export const ADAPTER_CONFIG = 'adapter_config.json';
export const ADAPTER_WEIGHTS = 'adapter_model.safetensors';
export const PEFT_PREFIX = 'base_model.model.';

export function peftAdapterConfigJson(a: LoraAdapter): Record<string, unknown> {
  const c = a.config;
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: c.baseModelNameOrPath,
    r: c.r,
    lora_alpha: c.alpha,
    lora_dropout: c.dropout,
    target_modules: c.targetModules,
    use_rslora: c.useRslora,
    fan_in_fan_out: c.fanInFanOut,
    bias: 'none',
    inference_mode: true,
    init_lora_weights: true,
    modules_to_save: null,
    layers_to_transform: null,
    layers_pattern: null,
    rank_pattern: {},
    alpha_pattern: {},
    use_dora: false,
    revision: null,
  };
}

export function savePeftAdapter(dir: string, adapter: LoraAdapter, dtype: FloatDtype = 'F32'): void {
  mkdirSync(dir, { recursive: true });
  const tensors = new Map<string, Tensor>();
  for (const [name, { A, B }] of adapter.modules) {
    tensors.set(`${PEFT_PREFIX}${name}.lora_A.weight`, A);
    tensors.set(`${PEFT_PREFIX}${name}.lora_B.weight`, B);
  }
  writeSafetensors(join(dir, ADAPTER_WEIGHTS), tensors, { dtype });
  const tmp = join(dir, `${ADAPTER_CONFIG}.tmp-${process.pid}`);
  writeFileSync(tmp, `${JSON.stringify(peftAdapterConfigJson(adapter), null, 2)}\n`);
  renameSync(tmp, join(dir, ADAPTER_CONFIG));
}
