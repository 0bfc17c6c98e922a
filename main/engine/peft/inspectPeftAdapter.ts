// Reads a PEFT LoRA adapter folder's config and its weights file's header, and checks every
// tensor's name and shape (against r and, when a base spec is given, against the modules of that
// model) without reading any tensor data. loadPeftAdapter then reads the data in JS; the serving
// path hands the validated offsets to the native LoRA bank, which reads the file straight into its
// memory (Model.loraBankLoad), so both paths refuse the same adapters with the same messages.
// Accepts tensor names with or without the adapter name (".lora_A.default.weight").
import { existsSync } from 'node:fs';
import { INPUT_LIMITS, readJsonFile } from '../../files/readInputFile';
import { join } from 'node:path';
import { z } from 'zod';
import type { ModelSpec } from '../modelConfig';
import { SafetensorsFile } from '../safetensors/SafetensorsFile';
import type { TensorEntry } from '../safetensors/parseSafetensorsHeader';
import { adaptableModules } from './adaptableModules';
import type { LoraConfig } from './LoraAdapter';
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

/** An adapter checked but not read: its config and, per module, the header entries of its factors. */
export interface PeftAdapterLayout {
  config: LoraConfig;
  file: SafetensorsFile;
  modules: Map<string, { A: TensorEntry; B: TensorEntry }>;
}

export function inspectPeftAdapter(dirOrFiles: string | PeftAdapterFiles, base?: ModelSpec): PeftAdapterLayout {
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
  const halves = new Map<string, { A?: TensorEntry; B?: TensorEntry }>();
  for (const [name, entry] of file.tensors) {
    const m = /^(.*)\.lora_([AB])(?:\.[^.]+)?\.weight$/.exec(name);
    if (!m || !m[1]!.startsWith(PEFT_PREFIX)) throw new Error(`${file.path}: tensor "${name}" is not a PEFT LoRA tensor name`);
    const module = m[1]!.slice(PEFT_PREFIX.length);
    const pair = halves.get(module) ?? {};
    pair[m[2] as 'A' | 'B'] = entry;
    halves.set(module, pair);
  }
  const known = base ? new Map(adaptableModules(base).map((m) => [m.name, m])) : null;
  const modules = new Map<string, { A: TensorEntry; B: TensorEntry }>();
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
    file,
    modules,
  };
}
