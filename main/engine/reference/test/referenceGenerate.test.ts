import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from '../../test/tmpDir';
import { buildTestModel } from '../../testModels/buildTestModel';
import { loadReferenceModel } from '../ReferenceModel';
import { referenceForward } from '../referenceForward';
import { referenceGenerate } from '../referenceGenerate';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { logSoftmax } from '../../sampling/sampleToken';

const tmp = makeTmpDir('gen');
afterAll(tmp.cleanup);

describe.each(['gpt2', 'llama'] as const)('referenceGenerate (%s)', (family) => {
  const m = buildTestModel(join(tmp.dir, family), { family, dtype: 'BF16' });
  const model = loadReferenceModel(m.dir);
  const tok = Tokenizer.fromModelDir(m.dir);

  it('greedy tokens carry the raw logprob and their text adds up', () => {
    const r = referenceGenerate(model, tok, 'The studio', { maxTokens: 6 });
    expect(r.tokens).toHaveLength(6);
    expect(r.tokens.map((t) => t.text).join('')).toBe(r.text);
    const promptIds = tok.encode('The studio');
    expect(promptIds[0] === 1).toBe(family === 'llama');
    const all = [...promptIds, ...r.tokens.map((t) => t.id)];
    // The streamed text continues the prompt exactly as decoding everything at once would.
    expect(tok.decode(promptIds, { skipSpecialTokens: true }) + r.text).toBe(tok.decode(all, { skipSpecialTokens: true }));
    // Check the last token's logprob against a fresh forward pass.
    const logits = referenceForward(model, all.slice(0, -1));
    const lp = logSoftmax(logits[logits.length - 1]!);
    expect(r.tokens[5]!.logprob).toBeCloseTo(lp[all[all.length - 1]!]!, 10);
    expect(r.tokens[5]!.top[0]!.id).toBe(r.tokens[5]!.id);
  });
  it('streams each token through onToken and stops at a stop id', () => {
    const seen: number[] = [];
    const first = referenceGenerate(model, tok, 'Hi', { maxTokens: 4 });
    const r = referenceGenerate(model, tok, 'Hi', { maxTokens: 4, stopIds: [first.tokens[1]!.id], onToken: (t) => seen.push(t.id) });
    expect(seen).toEqual(r.tokens.map((t) => t.id));
    expect(r.tokens.length).toBeLessThanOrEqual(2);
  });
  it('sampling is reproducible for a seed', () => {
    const opts = { maxTokens: 5, temperature: 0.9, topK: 20, topP: 0.95, seed: 7 };
    expect(referenceGenerate(model, tok, 'Hi', opts)).toEqual(referenceGenerate(model, tok, 'Hi', opts));
  });
});
