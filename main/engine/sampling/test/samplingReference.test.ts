import { describe, expect, it } from 'vitest';
import { Xoshiro128 } from '../Xoshiro128';
import { processLogits, sampleToken, type SamplingParams } from '../sampleToken';
import { referenceProcessLogits, referenceSampleToken } from './referenceSampling';

// sampleToken selects and sorts only what it must; the reference sorts the whole vocabulary.
// They must agree exactly (same kept set, same ids drawn for a seed, same logprobs) on
// distributions that exercise every branch: peaked (top-p cut inside the first 64 tokens), flat
// (cut thousands of tokens down: everything sorted at once), dominant (one token holds half the
// mass, so the head widens round by round), heavy ties (ordering by id), and -Infinity logits.
function logitsOf(kind: string, n: number, rng: Xoshiro128): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rng.nextFloat();
    if (kind === 'peaked') x[i] = i % 97 === 3 ? 12 + u : u * 6 - 3;
    else if (kind === 'flat') x[i] = u * 0.5;
    else if (kind === 'dominant') x[i] = i === 1 ? Math.log(n) : u * 0.5; // half the mass on one token, a flat tail
    else if (kind === 'ties') x[i] = Math.floor(u * 6); // six distinct values over the vocabulary
    else x[i] = u < 0.3 ? -Infinity : u * 10; // masked
  }
  return x;
}

const settings: SamplingParams[] = [
  {},
  { repetitionPenalty: 1.3 },
  { temperature: 0.7 },
  { temperature: 1, topK: 1 },
  { temperature: 0.8, topK: 50 },
  { temperature: 0.8, topK: 700 },
  { temperature: 0.9, topP: 0.9 },
  { temperature: 1.2, topP: 0.5 },
  { temperature: 0.6, topP: 0.999 },
  { temperature: 0.8, topK: 40, topP: 0.95, repetitionPenalty: 1.1 },
  { topP: 0.3 },
];

describe('sampleToken against the reference sampler', () => {
  for (const kind of ['peaked', 'flat', 'dominant', 'ties', 'masked'])
    it(`agrees on ${kind} distributions for every setting`, () => {
      const data = new Xoshiro128(kind.length * 7919);
      for (const n of [5, 300, 5000]) {
        const logits = logitsOf(kind, n, data);
        const previous = [0, 1, 2, n - 1, 7 % n];
        for (const params of settings) {
          const what = `${kind} n=${n} ${JSON.stringify(params)}`;
          const fast = processLogits(logits, params, previous);
          const ref = referenceProcessLogits(logits, params, previous);
          expect(Array.from(fast), what).toEqual(Array.from(ref));
          const a = new Xoshiro128(n), b = new Xoshiro128(n);
          for (let draw = 0; draw < 20; draw++) {
            const got = sampleToken(logits, params, a, previous);
            const want = referenceSampleToken(logits, params, b, previous);
            expect(got, `${what} draw ${draw}`).toEqual(want);
          }
        }
      }
    });

  it('keeps exactly the head above p when the cut lies past the first selection round', () => {
    // 5000 equal-ish tokens: top-p 0.9 keeps about 4500, far beyond the first 64 selected.
    const logits = logitsOf('flat', 5000, new Xoshiro128(3));
    const kept = processLogits(logits, { topP: 0.9 }, []).filter((v) => v > -Infinity).length;
    expect(kept).toBeGreaterThan(4000);
    expect(kept).toBe(referenceProcessLogits(logits, { topP: 0.9 }, []).filter((v) => v > -Infinity).length);
  });

  it('names the token when the model produced a NaN logit, and rejects bad parameters', () => {
    const logits = Float32Array.from([0, 1, NaN, 2]);
    expect(() => sampleToken(logits, {}, null)).toThrow(/NaN logit \(token id 2\)/);
    expect(() => sampleToken(Float32Array.from([0, 1]), { topP: 0 }, null)).toThrow(/topP must be in \(0, 1\]/);
    expect(() => sampleToken(Float32Array.from([0, 1]), { repetitionPenalty: -1 }, null)).toThrow(/repetitionPenalty must be positive/);
  });
});
