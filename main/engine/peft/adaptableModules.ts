// The linear modules LoRA can target in each architecture, with their logical widths.
// PEFT matches target_modules against the end of a module's name, so GPT-2's "c_proj" selects
// both attn.c_proj and mlp.c_proj.
import type { ModelSpec } from '../modelConfig';

export interface AdaptableModule {
  /** Base weight name without ".weight". */
  name: string;
  /** The name's last component, what target_modules lists. */
  short: string;
  in: number;
  out: number;
  /** GPT-2 Conv1D: base weight stored [in, out]. */
  conv1d: boolean;
}

export const LLAMA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
export const GPT2_TARGETS = ['c_attn', 'c_proj', 'c_fc'] as const;

export function adaptableModules(spec: ModelSpec): AdaptableModule[] {
  const C = spec.hiddenSize;
  const I = spec.intermediateSize;
  const out: AdaptableModule[] = [];
  for (let l = 0; l < spec.numLayers; l++) {
    if (spec.arch === 'gpt2') {
      const p = `transformer.h.${l}`;
      out.push({ name: `${p}.attn.c_attn`, short: 'c_attn', in: C, out: 3 * C, conv1d: true });
      out.push({ name: `${p}.attn.c_proj`, short: 'c_proj', in: C, out: C, conv1d: true });
      out.push({ name: `${p}.mlp.c_fc`, short: 'c_fc', in: C, out: I, conv1d: true });
      out.push({ name: `${p}.mlp.c_proj`, short: 'c_proj', in: I, out: C, conv1d: true });
    } else {
      const p = `model.layers.${l}`;
      const H = spec.numHeads * spec.headDim;
      const KV = spec.numKvHeads * spec.headDim;
      out.push({ name: `${p}.self_attn.q_proj`, short: 'q_proj', in: C, out: H, conv1d: false });
      out.push({ name: `${p}.self_attn.k_proj`, short: 'k_proj', in: C, out: KV, conv1d: false });
      out.push({ name: `${p}.self_attn.v_proj`, short: 'v_proj', in: C, out: KV, conv1d: false });
      out.push({ name: `${p}.self_attn.o_proj`, short: 'o_proj', in: H, out: C, conv1d: false });
      out.push({ name: `${p}.mlp.gate_proj`, short: 'gate_proj', in: C, out: I, conv1d: false });
      out.push({ name: `${p}.mlp.up_proj`, short: 'up_proj', in: C, out: I, conv1d: false });
      out.push({ name: `${p}.mlp.down_proj`, short: 'down_proj', in: I, out: C, conv1d: false });
    }
  }
  return out;
}

/** PEFT's matching: a list matches a module whose name is, or ends with ".", an entry; a string is a full-match regex. */
export function isTargeted(moduleName: string, targets: string[] | string): boolean {
  if (typeof targets === 'string') return new RegExp(`^(?:${targets})$`).test(moduleName);
  return targets.some((t) => moduleName === t || moduleName.endsWith(`.${t}`));
}
