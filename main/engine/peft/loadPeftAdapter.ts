// Reads a PEFT LoRA adapter folder (ours or one saved by Hugging Face PEFT) into memory: the
// checks are inspectPeftAdapter's, then every tensor is read in one pass over the file. The
// server's cache-miss path skips the JS arrays (loraBankLoad reads the file into the native
// bank); this is the reference it is tested against, and what every other caller uses.
import type { ModelSpec } from '../modelConfig';
import { inspectPeftAdapter, type PeftAdapterFiles, type PeftAdapterLayout } from './inspectPeftAdapter';
import type { LoraAdapter, LoraPair } from './LoraAdapter';

export type { PeftAdapterFiles } from './inspectPeftAdapter';

export function loadPeftAdapter(dirOrFiles: string | PeftAdapterFiles, base?: ModelSpec): LoraAdapter {
  return readPeftAdapter(inspectPeftAdapter(dirOrFiles, base));
}

export function readPeftAdapter(layout: PeftAdapterLayout): LoraAdapter {
  const entries = [...layout.modules.values()];
  const tensors = layout.file.readTensors(entries.flatMap(({ A, B }) => [A.name, B.name]));
  const modules = new Map<string, LoraPair>();
  for (const [module, { A, B }] of layout.modules) modules.set(module, { A: tensors.get(A.name)!, B: tensors.get(B.name)! });
  return { config: layout.config, modules };
}
