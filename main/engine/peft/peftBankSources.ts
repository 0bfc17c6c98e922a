// Where each factor of an inspected adapter lies in its safetensors file, in the form
// Model.loraBankLoad takes: the bank's PEFT name, dtype, absolute file offset and byte length.
// Null when a factor is stored in a dtype the native reader does not widen (integers, F64,
// F8): such an adapter goes through readPeftAdapter and loraBankAdd instead.
import type { PeftAdapterLayout } from './inspectPeftAdapter';
import { PEFT_PREFIX } from './savePeftAdapter';

export interface BankTensorSource {
  /** base_model.model.<module>.lora_A.weight / .lora_B.weight, the adapter name dropped */
  name: string;
  dtype: 'F32' | 'F16' | 'BF16';
  offset: number;
  bytes: number;
}

export function peftBankSources(layout: PeftAdapterLayout): BankTensorSource[] | null {
  const out: BankTensorSource[] = [];
  for (const [module, pair] of layout.modules) {
    for (const half of ['A', 'B'] as const) {
      const e = pair[half];
      if (e.dtype !== 'F32' && e.dtype !== 'F16' && e.dtype !== 'BF16') return null;
      out.push({ name: `${PEFT_PREFIX}${module}.lora_${half}.weight`, dtype: e.dtype, offset: layout.file.dataStart + e.begin, bytes: e.end - e.begin });
    }
  }
  return out;
}
