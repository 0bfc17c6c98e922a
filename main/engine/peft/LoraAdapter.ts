// A LoRA adapter in memory. For each adapted module (keyed by the base weight's name without
// ".weight", e.g. "model.layers.0.self_attn.q_proj" or "transformer.h.0.attn.c_attn"):
//   A: [r, in], B: [out, r]; the module's output gains  scaling * B (A x).
// `in`/`out` are the module's logical input/output widths, also for GPT-2's Conv1D (whose base
// weight is stored [in, out]): PEFT keeps lora_A/lora_B as nn.Linear weights either way.
import type { Tensor } from '../tensor';

export interface LoraConfig {
  r: number;
  alpha: number;
  /** rsLoRA scales by alpha / sqrt(r) instead of alpha / r. */
  useRslora: boolean;
  /** Short module names as PEFT's target_modules lists them (q_proj, c_attn, ...). */
  targetModules: string[];
  dropout: number;
  /** True for GPT-2, whose Conv1D stores weights [in, out]. */
  fanInFanOut: boolean;
  baseModelNameOrPath: string | null;
}

export interface LoraPair {
  A: Tensor;
  B: Tensor;
}

export interface LoraAdapter {
  config: LoraConfig;
  modules: Map<string, LoraPair>;
}

export function loraScaling(c: Pick<LoraConfig, 'r' | 'alpha' | 'useRslora'>): number {
  return c.useRslora ? c.alpha / Math.sqrt(c.r) : c.alpha / c.r;
}
