// `studio eval attribution --quick` of the built CLI (`npm run build:node` first) end to end, as
// CI runs it: a tiny Llama-family test model, the demo corpus or a user's datanet, the real
// import, review and version of the copy in a throwaway workspace, the native engine's LoRA
// training and generation. The figures of a tiny random model mean nothing; what is checked is
// that every stage ran, the report is whole and consistent, and the user's workspace is unchanged.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';

const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-eval-cli-'));
const home = path.join(root, 'home');
const tmp = path.join(root, 'tmp');
fs.mkdirSync(tmp);
const model = path.join(root, 'model');
buildTestModel(model, { family: 'llama', seed: 7 });
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';

function studio(...args: string[]) {
  // TMPDIR: the run's working folder must be gone afterwards; a private one shows it is.
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home, TMPDIR: tmp }, encoding: 'utf8', timeout: 420_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const ok = (...args: string[]) => {
  const r = studio(...args, '--json');
  expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r.json();
};

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

type Metrics = { questions: number; recallAt1: number; recallAt5: number; mrr: number };
function expectMetrics(m: Metrics, questions: number) {
  expect(m.questions).toBe(questions);
  for (const v of [m.recallAt1, m.recallAt5, m.mrr]) expect(v).toBeGreaterThanOrEqual(0);
  expect(m.recallAt1).toBeLessThanOrEqual(m.recallAt5);
  expect(m.recallAt5).toBeLessThanOrEqual(1);
  expect(m.mrr).toBeGreaterThanOrEqual(m.recallAt1);
}

describe('studio eval attribution', { timeout: 900_000 }, () => {
  it('is built', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build:node` before the tests').toBe(true);
  });

  it('--quick --json on the demo corpus reports every metric for each fact set', () => {
    const r = ok('eval', 'attribution', '--quick', '--model', model);
    expect(r).toMatchObject({ quick: true, model, background: { records: 24 }, copy: { datanet: 'eval-copy@1' } });
    expect(r.background.from).toMatch(/demo corpus/);
    expect(r.training.steps).toBe(60);
    expect(r.training.finalLoss).toBeLessThan(r.training.firstLoss);
    expect(Object.keys(r.scorers)).toEqual(['tool', 'spans', 'gradient', 'bm25']);
    for (const set of ['verbatim', 'paraphrased'] as const) {
      const s = r.sets[set];
      expect(s.facts).toBe(6);
      expect(Object.keys(s.scorers)).toEqual(['tool', 'spans', 'gradient', 'bm25']);
      for (const name of Object.keys(s.scorers)) for (const of of ['record', 'contributor'] as const) expectMetrics(s.scorers[name][of], 6);
      // The per-fact ranks are what the set's figures are computed from.
      const facts = r.facts.filter((f: { set: string }) => f.set === set);
      type Ranks = { ranks: Record<string, { record: number | null }> };
      for (const name of Object.keys(s.scorers)) {
        const r1 = facts.filter((f: Ranks) => f.ranks[name]!.record === 1).length / facts.length;
        expect(s.scorers[name].record.recallAt1).toBeCloseTo(r1, 12);
      }
    }
    // The copy holds background + planted + the paraphrased set's echoes (6 x 3) and distractors (6).
    expect(r.copy.records).toBe(24 + 12 + 18 + 6);
    // Verbatim facts name an invented subject found in one record: BM25 reading the prompt finds it.
    expect(r.sets.verbatim.scorers.bm25.record.recallAt1).toBe(1);
    // Self-influence over the background: 10% of 24 records, at least 2, were shuffled.
    expect(r.detection).toMatchObject({ records: 24, corrupted: 2 });
    for (const score of ['dataInf', 'gradientNorm'] as const) {
      expect(r.detection[score].auc).toBeGreaterThanOrEqual(0);
      expect(r.detection[score].auc).toBeLessThanOrEqual(1);
      expect([0, 0.5, 1]).toContain(r.detection[score].detectedAt10);
    }
    expect(r.lds).toMatchObject({ subsets: 3, fraction: 0.5, queries: 4 });
    expect(r.lds.perQuery).toHaveLength(4);
    for (const q of r.lds.perQuery) if (q !== null) expect(Math.abs(q)).toBeLessThanOrEqual(1 + 1e-12);
    // The working folder (the copy's workspace, the adapter, the gradient store) is removed.
    expect(fs.readdirSync(tmp)).toEqual([]);
  });

  it('--datanet evaluates on a copy of the user\'s datanet and leaves the datanet as it was', () => {
    ok('datanet', 'create', 'notes');
    const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ id: `n${i}`, text: `Note ${i}: the ferry left the pier at ${i % 12} o'clock with ${i + 3} passengers and a cargo of apples.`, who: i % 3 ? ALICE : BOB }));
    const file = path.join(root, 'notes.jsonl');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    ok('datanet', 'import', 'notes', '--file', file, '--contributor-field', 'who');
    ok('datanet', 'review', 'notes', '--filter', 'all', '--action', 'accept');
    ok('datanet', 'version', 'notes');
    const before = ok('datanet', 'show', 'notes');

    const r = ok('eval', 'attribution', '--quick', '--model', model, '--datanet', 'notes@1');
    expect(r.background).toEqual({ from: 'datanet notes@1', records: 24 });
    // Planted facts belong to the datanet's own contributors.
    expect(new Set(r.facts.map((f: { contributor: string }) => f.contributor))).toEqual(new Set([ALICE, BOB]));
    expect(ok('datanet', 'show', 'notes')).toEqual(before);
    expect(ok('datanet', 'list').map((d: { name: string }) => d.name)).toEqual(['notes']);
  });

  it('names what is wrong with a bad datanet, model or seed', () => {
    const noDatanet = studio('eval', 'attribution', '--quick', '--model', model, '--datanet', 'nope', '--json');
    expect(noDatanet.code).toBe(1);
    expect(noDatanet.json().error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/No datanet named nope/) });
    const noModel = studio('eval', 'attribution', '--quick', '--model', path.join(root, 'missing'), '--json');
    expect(noModel.code).toBe(1);
    expect(noModel.json().error.message).toMatch(/missing/);
    const badSeed = studio('eval', 'attribution', '--quick', '--model', model, '--seed', 'x', '--json');
    expect(badSeed.code).toBe(2);
    expect(badSeed.stderr + badSeed.stdout).toMatch(/--seed/);
  });
});
