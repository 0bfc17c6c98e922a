// Reads a PEFT LoRA adapter folder (ours or one saved by Hugging Face PEFT). Accepts tensor
// names with or without the adapter name (".lora_A.default.weight"), checks shapes against r
// and, when a base spec is given, against the modules of that model.
import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readJsonFile } from '../../files/readInputFile';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelSpec } from '../modelConfig';
import { SafetensorsFile } from '../safetensors/SafetensorsFile';
import { adaptableModules } from './adaptableModules';
import type { LoraAdapter, LoraPair } from './LoraAdapter';
import { ADAPTER_CONFIG, ADAPTER_WEIGHTS, PEFT_PREFIX } from './savePeftAdapter';

const configSchema = z.object({
  peft_type: z.literal('LORA'),
  r: z.number().int().positive(),
  lora_alpha: z.number().positive(),
  lora_dropout: z.number().min(0).max(1).default(0),
  target_modules: z.union([z.array(z.string()), z.string()]),
  use_rslora: z.boolean().default(false),
  fan_in_fan_out: z.boolean().default(false),
  base_model_name_or_path: z.string().nullish(),
  use_dora: z.literal(false).nullish(),
  bias: z.literal('none').default('none'),
  rank_pattern: z.record(z.string(), z.unknown()).nullish(),
  alpha_pattern: z.record(z.string(), z.unknown()).nullish(),
});

/** The two files of an adapter, where they are not a folder's (the artifact store names files by hash). */
export interface PeftAdapterFiles {
  config: string;
  weights: string;
}

export function loadPeftAdapter(dirOrFiles: string | PeftAdapterFiles, base?: ModelSpec): LoraAdapter {
  const dir = typeof dirOrFiles === 'string' ? dirOrFiles : null;
  const cfgPath = dir !== null ? join(dir, ADAPTER_CONFIG) : (dirOrFiles as PeftAdapterFiles).config;
  const weightsPath = dir !== null ? join(dir, ADAPTER_WEIGHTS) : (dirOrFiles as PeftAdapterFiles).weights;
  if (!existsSync(cfgPath)) throw new Error(`${dir ?? cfgPath}: no ${ADAPTER_CONFIG}, not a PEFT adapter folder`);
  const parsed = configSchema.safeParse(readJsonFile(cfgPath, INPUT_LIMITS.configJson));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${cfgPath}: ${issue.path.join('.')}: ${issue.message}`);
  }
  const c = parsed.data;
  if (Object.keys(c.rank_pattern ?? {}).length > 0 || Object.keys(c.alpha_pattern ?? {}).length > 0) {
    throw new Error(`${cfgPath}: rank_pattern/alpha_pattern (per-module ranks) are not supported`);
  }
  const file = SafetensorsFile.open(weightsPath);
  const halves = new Map<string, Partial<LoraPair>>();
  // Names checked before any data is read; then every tensor in one pass over the file.
  const named = [...file.tensors.keys()].map((name) => {
    const m = /^(.*)\.lora_([AB])(?:\.[^.]+)?\.weight$/.exec(name);
    if (!m || !m[1]!.startsWith(PEFT_PREFIX)) throw new Error(`${file.path}: tensor "${name}" is not a PEFT LoRA tensor name`);
    return { name, module: m[1]!.slice(PEFT_PREFIX.length), half: m[2] as 'A' | 'B' };
  });
  const tensors = file.readTensors(named.map((t) => t.name));
  for (const { name, module, half } of named) {
    const entry = halves.get(module) ?? {};
    entry[half] = tensors.get(name)!;
    halves.set(module, entry);
  }
  const known = base ? new Map(adaptableModules(base).map((m) => [m.name, m])) : null;
  const modules = new Map<string, LoraPair>();
  for (const [module, { A, B }] of halves) {
    if (!A || !B) throw new Error(`${file.path}: module "${module}" lacks its lora_${A ? 'B' : 'A'} tensor`);
    const [rA, inA] = A.shape as [number, number];
    const [outB, rB] = B.shape as [number, number];
    if (A.shape.length !== 2 || B.shape.length !== 2 || rA !== c.r || rB !== c.r) {
      throw new Error(`${file.path}: module "${module}": lora_A ${JSON.stringify(A.shape)} / lora_B ${JSON.stringify(B.shape)} do not have rank r=${c.r}`);
    }
    if (known) {
      const k = known.get(module);
      if (!k) throw new Error(`${file.path}: module "${module}" does not exist in the ${base!.arch} base model`);
      if (k.in !== inA || k.out !== outB) throw new Error(`${file.path}: module "${module}" is ${k.in} -> ${k.out} in the base model but the adapter is ${inA} -> ${outB}`);
    }
    modules.set(module, { A, B });
  }
  return {
    config: {
      r: c.r,
      alpha: c.lora_alpha,
      useRslora: c.use_rslora,
      targetModules: typeof c.target_modules === 'string' ? [c.target_modules] : c.target_modules,
      dropout: c.lora_dropout,
      fanInFanOut: c.fan_in_fan_out,
      baseModelNameOrPath: c.base_model_name_or_path ?? null,
    },
    modules,
  };
}
