// generateBatch on one native batched session against generate() run on each prompt alone
// (batch-1 session). Uneven prompts share one left-padded prefill; since each padded row computes
// the same products in the same order as the row alone (native/test/sessionLengths.test.ts), the
// tokens, logprobs and text are expected to be identical, not merely close.
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from './tmpDir';
import { buildTestModel } from '../testModels/buildTestModel';
import { modelSpecWithFiles } from '../modelSpecWithFiles';
import { loadNativeEngine } from '../native/index';
import { generate, type GenerateOptions } from '../generate';
import { generateBatch } from '../generateBatch';
import { nativeLogitsSource } from '../nativeLogitsSource';
import { nativeBatchLogitsSource } from '../nativeBatchLogitsSource';
import { Tokenizer } from '../tokenizer/Tokenizer';

const tmp = makeTmpDir('genbatch');
afterAll(tmp.cleanup);

const prompts = ['The studio keeps', 'A', 'Hello there, how are the weights today', 'keeps keeps'];

describe.each(['gpt2', 'llama'] as const)('generateBatch on the native engine (%s)', (family) => {
  const m = buildTestModel(join(tmp.dir, `gen-${family}`), { family });
  const engine = loadNativeEngine();
  const model = new engine.Model(modelSpecWithFiles(m.dir));
  const tok = Tokenizer.fromModelDir(m.dir);
  const alone = (prompt: string, opts: GenerateOptions) => generate(nativeLogitsSource(engine, model, m.spec.maxPositions), tok, prompt, opts);
  const batchSource = () => nativeBatchLogitsSource(engine, model, m.spec.maxPositions, prompts.length);

  it('greedy: every row equals generate() on its prompt alone (tokens, logprobs, text)', () => {
    const lengths = prompts.map((p) => tok.encode(p).length);
    expect(new Set(lengths).size).toBeGreaterThan(1);
    const opts = { maxTokens: 10 };
    const got = generateBatch(batchSource(), tok, prompts, opts);
    prompts.forEach((p, b) => expect(got[b]).toEqual(alone(p, opts)));
  });

  it('per-row sampling params, seeds, budgets and stop ids', () => {
    const greedy = alone(prompts[0]!, { maxTokens: 6 });
    const rowOpts: GenerateOptions[] = [
      { maxTokens: 6, stopIds: [greedy.tokens[2]!.id] }, // stops early at its third token (or before)
      { maxTokens: 9, temperature: 0.8, topK: 40, topP: 0.9, repetitionPenalty: 1.2, seed: 3 },
      { maxTokens: 3, temperature: 1.1, seed: 7 },
      { maxTokens: 12, temperature: 0.7, topP: 0.8, seed: 11 },
    ];
    const streamed: number[][] = prompts.map(() => []);
    const got = generateBatch(batchSource(), tok, prompts, rowOpts.map((o, b) => ({ ...o, onToken: (t) => streamed[b]!.push(t.id) })));
    prompts.forEach((p, b) => {
      const want = alone(p, rowOpts[b]!);
      expect(got[b]).toEqual(want);
      expect(streamed[b]).toEqual(want.tokens.map((t) => t.id));
    });
    expect(got[0]!.tokens.length).toBeLessThanOrEqual(3);
  });

  it('refuses a batch whose longest prompt plus generation exceeds the cache', () => {
    expect(() => generateBatch(batchSource(), tok, prompts, { maxTokens: m.spec.maxPositions })).toThrow(/cache slots/);
  });
});
