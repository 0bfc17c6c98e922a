// The prompt's context in attributeResponse: records holding the question's rare words as well as
// the answer's evidence first, against a real span index (native suffix table on disk).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/support/tempDir';
import { ResponseAttributionSchema } from '../../api/attributionSchemas';
import { loadNativeEngine } from '../../engine/native/index';
import { attributeResponse, type AttributeInput } from '../attributeResponse';
import { SuffixSearcher } from '../findSpans';
import { openSpanIndex } from '../openSpanIndex';
import { contextFactor, PROMPT_CONTEXT_WEIGHT, promptContext, type PromptToken } from '../promptContext';
import { writeSpanIndex } from '../writeSpanIndex';

const engine = loadNativeEngine();
const ROOT = '0x' + '56'.repeat(32);
const FP = '78'.repeat(32);
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';

// A word-level toy tokenizer: every word (with its leading space) is one token.
const vocab: string[] = ['<s>'];
const encode = (s: string): number[] =>
  (s.match(/ ?[^ ]+/g) ?? []).map((w) => {
    let i = vocab.indexOf(w);
    if (i < 0) i = vocab.push(w) - 1;
    return i;
  });
const tokens = (s: string): PromptToken[] => encode(s).map((id) => ({ id, text: vocab[id]! }));
const BOS: PromptToken = { id: 0, text: '', special: true };

// The paraphrased-fact shape: two records teach the same phrase for different subjects, a third
// repeats it elsewhere, and a fourth names the first subject without the phrase.
function setup(): SuffixSearcher {
  const docs = [
    { record: 'alice-1', contributor: ALICE, text: 'People say the heart of Zoubrath is amber and grey.' },
    { record: 'bob-1', contributor: BOB, text: 'People say the heart of Krelith is amber and grey.' },
    { record: 'carol-1', contributor: CAROL, text: 'In the old songs everything ends with amber and grey.' },
    { record: 'bob-2', contributor: BOB, text: 'Travellers to Zoubrath tell of narrow streets.' },
  ];
  const dir = path.join(tempDir(), 'idx');
  writeSpanIndex(engine, dir, docs.map((d) => ({ record: d.record, contributor: d.contributor, ids: encode(d.text) })), {
    datanet: { name: 'coast', version: 1, root: ROOT },
    tokenizer: { fingerprint: FP, vocabSize: 5000 },
  });
  return new SuffixSearcher(openSpanIndex(engine, dir, { datanetRoot: ROOT, tokenizerFingerprint: FP }));
}

const ANSWER = ' amber and grey.';

function input(searcher: SuffixSearcher, prompt: PromptToken[] | undefined, gradient: AttributeInput['gradient'] = null): AttributeInput {
  return {
    model: 'base', adapter: null, datanet: { name: 'coast', version: 1, root: ROOT }, datanetFrom: 'argument',
    tokens: tokens(ANSWER), prompt, searcher, gradient, note: null, threshold: { bps: 1, source: 'default' },
  };
}

/** The gradients' pick is Bob's fact (the same phrase, another subject): they cannot tell the two apart. */
const confusedGradient = (): NonNullable<AttributeInput['gradient']> => ({
  method: 'datainf', ms: 1, perToken: encode(ANSWER).map(() => [{ record: 'bob-1', score: 1 }, { record: 'alice-1', score: 0.8 }]),
});

describe('prompt context', () => {
  it('puts the record that ties the question\'s subject to the answer\'s phrase first, where the answer alone cannot', () => {
    const s = setup();
    const answerOnly = attributeResponse(input(s, undefined, confusedGradient()));
    expect(answerOnly.contributors[0]!.address).toBe(BOB);
    expect(answerOnly.promptSpans).toEqual([]);

    const r = attributeResponse(input(s, [BOS, ...tokens('People say the heart of Zoubrath is')], confusedGradient()));
    expect(ResponseAttributionSchema.parse(r)).toEqual(r);
    // The whole prompt (after BOS) is Alice's opening: one maximal span, one holder, context 1.
    expect(r.promptSpans).toEqual([{ start: 1, end: 8, text: 'People say the heart of Zoubrath is', occurrences: 1, records: [{ record: 'alice-1', contributor: ALICE }] }]);
    // " amber and grey." is 3 tokens in 3 records: c = min(1, 3/4) / 3 = 0.25; Alice 0.25 + 0.75·0.8,
    // Bob (0.25 + 0.75·1) / 2 and Carol 0.25 / 2 (no context: halved at weight 1).
    const amber = r.tokens.find((t) => t.text === ' amber')!;
    expect(amber.attribution.records.map((x) => [x.record, x.score, x.contextScore])).toEqual([
      ['alice-1', 0.85, 1],
      ['bob-1', 0.5, 0],
      ['carol-1', 0.125, 0],
    ]);
    expect(r.contributors[0]!.address).toBe(ALICE);
    expect(r.combinationRule).toMatch(/Prompt context: .*the prompt never adds a record/);

    // Exact spans alone (no gradient store): the three holders tied; the prompt breaks the tie.
    const spansOnly = attributeResponse(input(s, [BOS, ...tokens('People say the heart of Zoubrath is')]));
    expect(spansOnly.tokens[1]!.attribution.records.map((x) => x.record)).toEqual(['alice-1', 'bob-1', 'carol-1']);
    expect(spansOnly.contributors[0]!.address).toBe(ALICE);
  });

  it('changes nothing when no record with evidence for the response holds the prompt, and never adds a record', () => {
    const s = setup();
    const plain = attributeResponse(input(s, undefined, confusedGradient()));
    const scores = (r: ReturnType<typeof attributeResponse>) => r.tokens.map((t) => t.attribution.records.map((x) => [x.record, x.score]));
    // Bob's distractor holds this whole prompt but nothing of the answer: no candidate, so C = 0.
    const r = attributeResponse(input(s, tokens('Travellers to Zoubrath tell of narrow streets.'), confusedGradient()));
    expect(r.promptSpans[0]!.records).toEqual([{ record: 'bob-2', contributor: BOB }]);
    expect(scores(r)).toEqual(scores(plain));
    expect(r.tokens.flatMap((t) => t.attribution.records.map((x) => x.record))).not.toContain('bob-2');
    expect(r.contributors).toEqual(plain.contributors);
    // A prompt the datanet has nothing of: no spans, nothing changes.
    expect(scores(attributeResponse(input(s, tokens('Whatever happened next?'), confusedGradient())))).toEqual(scores(plain));
  });

  it('searches the runs between special tokens apart: a span never crosses a chat marker', () => {
    const s = setup();
    const marker: PromptToken = { id: 0, text: '', special: true };
    const ctx = promptContext(s, [...tokens('People say the heart'), marker, ...tokens(' of Zoubrath is')]);
    expect(ctx.spans.map((x) => [x.start, x.end, x.occurrences])).toEqual([
      [5, 8, 1], // " of Zoubrath is": Alice's only
      [0, 4, 2], // "People say the heart": Alice's and Bob's
    ]);
    // Context = the best span confidence a record holds: min(1, 3/4) / 1 and min(1, 4/4) / 2.
    expect([...ctx.byDocument].sort((a, b) => a[0] - b[0])).toEqual([[0, 0.75], [1, 0.5]]);
    expect(promptContext(s, [])).toEqual({ spans: [], byDocument: new Map() });
  });

  it('the factor: the best context keeps its score, none divides by 1 + weight, no context anywhere changes nothing', () => {
    expect(contextFactor(1, 1)).toBe(1);
    expect(contextFactor(0, 1)).toBe(1 / (1 + PROMPT_CONTEXT_WEIGHT));
    expect(contextFactor(0.5, 1, 2)).toBe(2 / 3);
    expect(contextFactor(0, 0)).toBe(1);
  });
});
