// A new adapter for a model. PEFT's initialisation is A ~ kaiming-uniform(a = sqrt(5)), i.e.
// U(-1/sqrt(in), 1/sqrt(in)), and B = 0, so training starts from the base model exactly.
// `randomB` gives B random values too: tests need adapters that change the output.
import type { ModelSpec } from '../modelConfig';
import { Xoshiro128 } from '../sampling/Xoshiro128';
import { adaptableModules, isTargeted } from './adaptableModules';
import type { LoraAdapter, LoraPair } from './LoraAdapter';

export interface CreateLoraOptions {
  r: number;
  alpha: number;
  targets: string[];
  useRslora?: boolean;
  dropout?: number;
  seed?: number;
  randomB?: boolean;
  baseModelNameOrPath?: string | null;
}

export function createLoraAdapter(spec: ModelSpec, opts: CreateLoraOptions): LoraAdapter {
  const rng = new Xoshiro128(opts.seed ?? 0);
  const modules = new Map<string, LoraPair>();
  const chosen = adaptableModules(spec).filter((m) => isTargeted(m.name, opts.targets));
  if (chosen.length === 0) throw new Error(`target modules ${JSON.stringify(opts.targets)} match no module of this ${spec.arch} model`);
  for (const m of chosen) {
    const bound = 1 / Math.sqrt(m.in);
    const A = new Float32Array(opts.r * m.in).map(() => (2 * rng.nextFloat() - 1) * bound);
    const B = new Float32Array(m.out * opts.r).map(() => (opts.randomB ? rng.nextNormal() * 0.1 : 0));
    modules.set(m.name, { A: { shape: [opts.r, m.in], data: A }, B: { shape: [m.out, opts.r], data: B } });
  }
  return {
    config: {
      r: opts.r,
      alpha: opts.alpha,
      useRslora: opts.useRslora ?? false,
      targetModules: [...opts.targets],
      dropout: opts.dropout ?? 0,
      fanInFanOut: spec.arch === 'gpt2',
      baseModelNameOrPath: opts.baseModelNameOrPath ?? null,
    },
    modules,
  };
}
