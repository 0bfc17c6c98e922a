// The planted facts hold the properties the evaluation's two sets are defined by.
import { describe, expect, it } from 'vitest';
import { bm25Terms } from '../Bm25Index';
import { plantFacts, PARAPHRASE_ANSWERS } from '../plantFacts';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const background = ['The whale rose near the harbour at dawn, and the men rowed hard.', 'A quiet market square sold amber beads.'];

function planted(seed = 5) {
  return plantFacts({
    seed,
    verbatim: 12,
    paraphrased: 12,
    contributors: [ALICE, BOB, CAROL],
    takenWords: new Set(background.flatMap(bm25Terms)),
    takenIds: new Set(['eval-verbatim-001']),
  });
}

describe('plantFacts', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    expect(planted(5)).toEqual(planted(5));
    expect(planted(6).facts[0]!.prompt).not.toBe(planted(5).facts[0]!.prompt);
  });

  it('verbatim: the answer occurs in the planted record and nowhere else', () => {
    const { facts, records } = planted();
    const verbatim = facts.filter((f) => f.set === 'verbatim');
    expect(verbatim).toHaveLength(12);
    for (const f of verbatim) {
      const holders = records.filter((r) => r.text.includes(f.answer.trim()));
      expect(holders.map((r) => r.sourceId)).toEqual([f.sourceId]);
      expect(holders[0]!.text).toBe(f.prompt + f.answer);
      expect(holders[0]!.contributor).toBe(f.contributor);
      // Invented words are new to the datanet.
      for (const w of bm25Terms(f.prompt + f.answer)) if (!['the', 'of', 'is'].includes(w)) expect(background.join(' ').toLowerCase()).not.toContain(w);
    }
    // A source id already in the datanet is not reused.
    expect(new Set(records.map((r) => r.sourceId)).size).toBe(records.length);
    expect(records.map((r) => r.sourceId)).not.toContain('eval-verbatim-001');
  });

  it('paraphrased: the answer occurs in many records, the subject in two, both together only in the planted one', () => {
    const { facts, records } = planted();
    const paraphrased = facts.filter((f) => f.set === 'paraphrased');
    expect(paraphrased).toHaveLength(12);
    for (const f of paraphrased) {
      expect(PARAPHRASE_ANSWERS).toContain(f.answer.trim().replace(/\.$/, ''));
      const withAnswer = records.filter((r) => r.text.includes(f.answer.trim()));
      expect(withAnswer.length).toBeGreaterThanOrEqual(4);
      const subject = /heart of (\S+) is/.exec(f.prompt)![1]!;
      const withSubject = records.filter((r) => r.text.includes(subject));
      expect(withSubject).toHaveLength(2);
      expect(withSubject.filter((r) => r.text.includes(f.answer.trim())).map((r) => r.sourceId)).toEqual([f.sourceId]);
      // The distractor is someone else's.
      expect(withSubject.find((r) => r.sourceId !== f.sourceId)!.contributor).not.toBe(f.contributor);
    }
  });

  it('spreads the facts over the contributors', () => {
    const owners = new Set(planted().facts.map((f) => f.contributor));
    expect(owners).toEqual(new Set([ALICE, BOB, CAROL]));
  });
});
