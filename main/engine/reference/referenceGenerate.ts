// Generation on the reference forward pass. Slow (the whole sequence is recomputed per token: no
// KV cache), so it serves tests, tiny demo models and as the oracle for the native engine.
import type { Tokenizer } from '../tokenizer/Tokenizer';
import type { LoraAdapter } from '../peft/LoraAdapter';
import { generate, type GenerateOptions, type GenerateResult, type LogitsSource } from '../generate';
import type { ReferenceModel } from './ReferenceModel';
import { referenceForward } from './referenceForward';

export function referenceLogitsSource(model: ReferenceModel, lora?: LoraAdapter): LogitsSource {
  const ids: number[] = [];
  const last = () => {
    const rows = referenceForward(model, ids, { lora });
    return rows[rows.length - 1]!;
  };
  return {
    maxPositions: model.spec.maxPositions,
    prefill(prompt) {
      ids.length = 0;
      ids.push(...prompt);
      return last();
    },
    step(id) {
      ids.push(id);
      return last();
    },
  };
}

export function referenceGenerate(model: ReferenceModel, tokenizer: Tokenizer, prompt: string, opts: GenerateOptions & { lora?: LoraAdapter }): GenerateResult {
  return generate(referenceLogitsSource(model, opts.lora), tokenizer, prompt, opts);
}
