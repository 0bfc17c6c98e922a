// Planted facts: records whose right attribution is known by construction, added to a copy of
// the datanet before fine-tuning. Every fact is about an invented subject (syllables drawn from
// a seeded generator, kept only when the word occurs nowhere in the datanet), so the planted
// record is the only record that ties the question's subject to its answer.
//
// Two sets, reported apart:
// - verbatim: "The <attr> of <Place> is <Value>." with an invented Value. The question is the
//   sentence up to "is"; the expected answer " <Value>." is a string found in that record only,
//   so exact-span evidence on the answer decides alone.
// - paraphrased: "People say the heart of <Subject> is <phrase>." where <phrase> comes from a
//   small pool of everyday phrases ("amber and grey", ...) shared by many planted facts, and
//   each phrase is also written into "echo" records from other contributors. A distractor
//   record from another contributor names the subject without the phrase. So every word of the
//   answer occurs in many records, the subject occurs in two, and only the planted record ties
//   the subject to its phrase: a span match on the answer cannot pick the record out; evidence
//   that conditions on the question (gradients through the model, or BM25 reading the prompt)
//   must.
// The question in both sets is the planted sentence's opening: the model is asked to continue
// what it was fine-tuned on, so what is measured is attribution, not the model's ability to
// answer a reworded question.
import { Xoshiro128 } from '../../engine/sampling/Xoshiro128';

export interface EvalRecord {
  sourceId: string;
  contributor: string;
  text: string;
}

export type FactSet = 'verbatim' | 'paraphrased';

export interface PlantedFact {
  set: FactSet;
  /** The planted record's source id and contributor: the right answer to "whose data?". */
  sourceId: string;
  contributor: string;
  /** What the model is prompted with. */
  prompt: string;
  /** The continuation the planted record teaches (leading space included). */
  answer: string;
}

export interface PlantFactsOptions {
  seed: number;
  verbatim: number;
  paraphrased: number;
  /** Addresses the facts are spread over (round-robin after a seeded shuffle). */
  contributors: readonly string[];
  /** Lowercased words already in the datanet: an invented word must not be one of them. */
  takenWords: ReadonlySet<string>;
  /** Source ids already in the datanet: planted ids avoid them. */
  takenIds: ReadonlySet<string>;
}

export interface PlantedFacts {
  facts: PlantedFact[];
  /** Every record to add: the planted ones, the paraphrased set's echoes and distractors. */
  records: EvalRecord[];
}

/** Everyday phrases for the paraphrased answers: words that are everywhere, on purpose. */
export const PARAPHRASE_ANSWERS = ['amber and grey', 'the old harbour road', 'seven silver bells', 'a quiet market square', 'twelve long winters', 'the river at dawn'];
/** How many echo records repeat each phrase, beside the planted facts that share it. */
const ECHOES_PER_ANSWER = 3;

const ONSETS = ['b', 'd', 'f', 'g', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'z', 'br', 'dr', 'gr', 'kr', 'tr', 'vl', 'th', 'sh'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ae', 'ou', 'ei'];
const CODAS = ['', '', 'n', 'r', 'l', 's', 'th', 'x'];

export function plantFacts(o: PlantFactsOptions): PlantedFacts {
  if (o.contributors.length === 0) throw new Error('plantFacts needs at least one contributor');
  const rng = new Xoshiro128(o.seed);
  const pick = <T>(xs: readonly T[]): T => xs[rng.nextU32() % xs.length]!;
  const used = new Set<string>();
  const invent = (syllables: number, capital: boolean): string => {
    for (;;) {
      let w = '';
      for (let s = 0; s < syllables; s++) w += pick(ONSETS) + pick(VOWELS) + (s === syllables - 1 ? pick(CODAS) : '');
      if (used.has(w) || o.takenWords.has(w)) continue;
      used.add(w);
      return capital ? w[0]!.toUpperCase() + w.slice(1) : w;
    }
  };
  const contributors = shuffled(o.contributors, rng);
  const others = (c: string) => (contributors.length > 1 ? contributors.filter((x) => x !== c) : contributors);
  const id = (base: string): string => {
    let v = base;
    for (let n = 2; o.takenIds.has(v); n++) v = `${base}-${n}`;
    return v;
  };
  const facts: PlantedFact[] = [];
  const records: EvalRecord[] = [];
  let next = 0;
  for (let i = 0; i < o.verbatim; i++) {
    const contributor = contributors[next++ % contributors.length]!;
    const attr = invent(2, false);
    const place = invent(3, true);
    const value = invent(3, true);
    const sourceId = id(`eval-verbatim-${String(i + 1).padStart(3, '0')}`);
    const prompt = `The ${attr} of ${place} is`;
    const answer = ` ${value}.`;
    records.push({ sourceId, contributor, text: prompt + answer });
    facts.push({ set: 'verbatim', sourceId, contributor, prompt, answer });
  }
  for (let i = 0; i < o.paraphrased; i++) {
    const contributor = contributors[next++ % contributors.length]!;
    const subject = invent(3, true);
    const phrase = PARAPHRASE_ANSWERS[i % PARAPHRASE_ANSWERS.length]!;
    const sourceId = id(`eval-paraphrased-${String(i + 1).padStart(3, '0')}`);
    const prompt = `People say the heart of ${subject} is`;
    const answer = ` ${phrase}.`;
    records.push({ sourceId, contributor, text: prompt + answer });
    facts.push({ set: 'paraphrased', sourceId, contributor, prompt, answer });
    // The subject elsewhere, without the phrase, from someone else.
    records.push({ sourceId: id(`eval-distractor-${String(i + 1).padStart(3, '0')}`), contributor: pick(others(contributor)), text: `Travellers to ${subject} tell of narrow streets and a cold wind.` });
  }
  if (o.paraphrased > 0) {
    PARAPHRASE_ANSWERS.forEach((phrase, a) => {
      for (let e = 0; e < ECHOES_PER_ANSWER; e++) {
        records.push({ sourceId: id(`eval-echo-${a + 1}-${e + 1}`), contributor: pick(contributors), text: `In the old songs of the coast, everything ends with ${phrase}.` });
      }
    });
  }
  return { facts, records };
}

function shuffled<T>(xs: readonly T[], rng: Xoshiro128): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.nextU32() % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
