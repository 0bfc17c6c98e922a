import { describe, expect, it } from 'vitest';
import { learningRateAt } from '../learningRateAt';
import { parseTrainingRecords } from '../readTrainingRecords';
import { tokenizeRecord } from '../tokenizeRecord';
import { makeTrainBatch } from '../makeTrainBatch';
import { DataOrder } from '../DataOrder';
import { Tokenizer } from '../../tokenizer/Tokenizer';
import { buildSentencePieceTokenizerJson } from '../../testModels/buildSentencePieceTokenizerJson';

describe('learningRateAt', () => {
  const base = { lr: 1e-3, warmupSteps: 10, totalSteps: 110 };
  it('warms up linearly from 0 like transformers', () => {
    expect(learningRateAt(0, { ...base, kind: 'cosine' })).toBe(0);
    expect(learningRateAt(5, { ...base, kind: 'cosine' })).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(10, { ...base, kind: 'cosine' })).toBeCloseTo(1e-3, 15);
  });
  it('decays by half a cosine, linearly, or not at all', () => {
    expect(learningRateAt(60, { ...base, kind: 'cosine' })).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(110, { ...base, kind: 'cosine' })).toBeCloseTo(0, 15);
    expect(learningRateAt(110, { ...base, kind: 'cosine', minLrRatio: 0.1 })).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(60, { ...base, kind: 'linear' })).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(200, { ...base, kind: 'linear' })).toBe(0);
    expect(learningRateAt(60, { ...base, kind: 'constant' })).toBe(1e-3);
  });
});

describe('training data', () => {
  const tok = new Tokenizer(buildSentencePieceTokenizerJson({ vocabSize: 600 }));
  it('reads text and prompt/response records and names the bad line', () => {
    const rs = parseTrainingRecords('{"text":"hello there"}\n\n{"prompt":"Q: hi","response":" A: hello"}\n', 'd.jsonl');
    expect(rs).toEqual([{ kind: 'text', text: 'hello there' }, { kind: 'chat', prompt: 'Q: hi', response: ' A: hello' }]);
    expect(() => parseTrainingRecords('{"text":"a"}\n{"nope":1}', 'd.jsonl')).toThrow(/d\.jsonl:2: a record needs/);
    expect(() => parseTrainingRecords('{"text":', 'd.jsonl')).toThrow(/d\.jsonl:1: not valid JSON/);
  });
  it('trains on the response only, EOS included', () => {
    const r = tokenizeRecord(tok, { kind: 'chat', prompt: 'the studio', response: 'keeps data' }, 2);
    const prompt = tok.encode('the studio');
    expect(r.ids.slice(0, prompt.length)).toEqual(prompt);
    expect(r.ids[r.ids.length - 1]).toBe(2);
    expect(r.weights).toEqual([...prompt.map(() => 0), ...r.ids.slice(prompt.length).map(() => 1)]);
    const b = makeTrainBatch([r], 32, 0);
    // The first trained target is the first response token, predicted from the last prompt token.
    const firstTrained = [...b.targets].findIndex((t) => t >= 0);
    expect(firstTrained).toBe(prompt.length - 1);
    expect(b.targets[firstTrained]).toBe(r.ids[prompt.length]);
    expect(b.mask[firstTrained]).toBe(1);
    expect(b.mask.reduce((a, v) => a + v, 0)).toBe(r.ids.length - prompt.length);
    expect(b.targets[r.ids.length - 1]).toBe(-1); // padding
  });
  it('truncates rows to seq and pads the rest', () => {
    const r = tokenizeRecord(tok, { kind: 'text', text: 'the studio keeps every dataset beside the names' }, null);
    const b = makeTrainBatch([r, { ids: [1, 5], weights: [1, 1] }], 4, 0);
    expect([...b.tokens.subarray(0, 4)]).toEqual(r.ids.slice(0, 4));
    expect([...b.targets.subarray(0, 4)]).toEqual(r.ids.slice(1, 5));
    expect([...b.tokens.subarray(4)]).toEqual([1, 0, 0, 0]);
    expect([...b.targets.subarray(4)]).toEqual([5, -1, -1, -1]);
  });
  it('orders records by a seeded shuffle that resumes exactly', () => {
    const a = new DataOrder(7, 42);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect([...seqA.slice(0, 7)].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(seqA.slice(0, 7)).not.toEqual(seqA.slice(7, 14));
    const b = new DataOrder(7, 42);
    for (let i = 0; i < 9; i++) b.next();
    const resumed = new DataOrder(7, 42, b.position());
    expect(Array.from({ length: 11 }, () => resumed.next())).toEqual(seqA.slice(9));
  });
});
