// Gradient evidence in the product path, end to end on a tiny Llama: the built CLI makes a datanet
// of four records from three contributors and trains an adapter on it (`studio train --datanet`),
// which builds the adapter's record gradient store as a follow-up job; the core's
// `attribution.attribute` (what the playground and /v1 call) then scores a completion that
// reproduces one record with both evidences, and its gradient top record is the one a plain,
// slow DataInf over the full (unprojected) gradients picks. A store copied in from another
// adapter is refused by its fingerprint (spans only, with the reason) and rebuilt by the job the
// refusal starts; a copied adapter folder finds the store through `generate --attribute`.
// Real processes, SQLite workspace, job worker threads and native engine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ResponseAttributionSchema, type ResponseAttribution } from '../../main/api/attributionSchemas';
import type { Job } from '../../main/api/jobSchemas';
import { DEFAULT_QUERY } from '../../main/attribution/gradientEvidenceForAdapter';
import { dataInfReference } from '../../main/attribution/influenceReference';
import { loadGradientModel } from '../../main/attribution/loadGradientModel';
import { flattenByLayer } from '../../main/attribution/loraLayerLayout';
import { StudioCore } from '../../main/core/studioCore';
import { modelSpecWithFiles } from '../../main/engine/modelSpecWithFiles';
import { modelSpecialIds } from '../../main/engine/modelSpecialIds';
import { loadPeftAdapter } from '../../main/engine/peft/loadPeftAdapter';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';
import { Tokenizer } from '../../main/engine/tokenizer/Tokenizer';
import { makeTrainBatch } from '../../main/engine/training/makeTrainBatch';
import { tokenizeRecord } from '../../main/engine/training/tokenizeRecord';

const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-attr-gradients-'));
const home = path.join(root, 'home');
const model = path.join(root, 'llama');
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const RECORDS = [
  { id: 'harbour', who: ALICE, text: 'the harbour lights blink green when the ferry leaves at dawn' },
  { id: 'kettles', who: BOB, text: 'seven copper kettles hang above the baker on market street' },
  { id: 'moths', who: CAROL, text: 'violet moths gather under the bridge lamps every quiet winter night' },
  { id: 'orchard', who: ALICE, text: 'our orchard keeps twelve rows of pears beside the old stone wall' },
];
const TARGET = RECORDS[2]!;
const PROMPT = 'violet moths gather under the bridge';
const COMPLETION = TARGET.text.slice(PROMPT.length);

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 240_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const ok = (...args: string[]) => {
  const r = studio(...args, '--json');
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  return r.json();
};
const train = (out: string, seed: string) =>
  ok('train', '--model', model, '--datanet', 'lights@1', '--out', out, '--rank', '4', '--alpha', '8', '--steps', '30', '--batch', '4', '--seq', '32', '--lr', '0.01', '--seed', seed, '--gradient-store');

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** The gradient top record of every token that has gradient evidence. */
const gradientTops = (r: ResponseAttribution) =>
  r.tokens.map((t) => [...t.attribution.records].filter((x) => x.gradientScore !== null && x.gradientScore > 0).sort((a, b) => b.gradientScore! - a.gradientScore!)[0]?.record);

async function until(core: StudioCore, id: string): Promise<Job> {
  for (;;) {
    const r = await core.request('jobs.get', { id });
    const job = r.ok ? (r.result as Job) : null;
    if (job && !['queued', 'running'].includes(job.status)) return job;
    await new Promise((res) => setTimeout(res, 50));
  }
}

let adapterA = '';

/** The core's attribution.attribute for the completion under adapter A, checked against the contract. */
async function attribute(core: StudioCore): Promise<ResponseAttribution> {
  const res = await core.request('attribution.attribute', { model: adapterA, prompt: PROMPT, completion: COMPLETION, record: false });
  if (!res.ok) throw new Error(`attribution.attribute: ${res.error.message}`);
  return ResponseAttributionSchema.parse(res.result);
}
let storeA = '';
let storeB = '';
const outA = path.join(root, 'adapter-a');

describe('gradient evidence in attribution.attribute', { timeout: 600_000 }, () => {
  it('trains an adapter on a datanet and builds its gradient store as the follow-up job', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build:node` before the tests').toBe(true);
    buildTestModel(model, { family: 'llama' });
    ok('datanet', 'create', 'lights');
    const data = path.join(root, 'lights.jsonl');
    fs.writeFileSync(data, RECORDS.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(ok('datanet', 'import', 'lights', '--file', data, '--id-field', 'id', '--contributor-field', 'who')).toMatchObject({ imported: 4 });
    ok('datanet', 'review', 'lights', '--filter', 'all', '--action', 'accept');
    expect(ok('datanet', 'version', 'lights')).toMatchObject({ version: 1, records: 4 });

    const a = train(outA, '1');
    adapterA = a.registeredAs;
    expect(a.gradientStore).toMatchObject({ records: 4 });
    storeA = a.gradientStore.dir;
    // Another adapter on the same records (another seed): a store of its own.
    const b = train(path.join(root, 'adapter-b'), '2');
    storeB = b.gradientStore.dir;
    expect(storeB).not.toBe(storeA);
  });

  it('scores a completion with both evidences; the gradient top record is the slow reference’s', async () => {
    const core = StudioCore.open({ home, mode: 'embedded', devnet: 'off' });
    try {
      core.setPlaygroundModel(model);
      const r = await attribute(core);
      expect(r.evidence).toMatchObject({ spans: true, gradient: 'datainf' });
      expect(r.evidence.note).toMatch(/^Exact spans and gradient influence \(DataInf over adapter .* gradient store of lights@1/);
      expect(r.combinationRule).toMatch(/c\(t\)·span\(r,t\) \+ \(1−c\(t\)\)·gradient\(r,t\)/);
      for (const t of r.tokens) for (const x of t.attribution.records) expect(x.gradientScore).not.toBeNull();

      // The slow reference: full per-layer gradients of every record as training tokenized it, the
      // completion's summed loss after the prompt as the query (one span covers it), DataInf by loops.
      const spec = modelSpecWithFiles(model);
      const tok = Tokenizer.fromModelDir(model);
      const ids = modelSpecialIds(model);
      const gm = loadGradientModel(model, loadPeftAdapter(outA, spec));
      const full = (b: { tokens: Int32Array; targets: Int32Array; mask: Float32Array; batch: number; seq: number }, normalizer?: number) => {
        gm.model.zeroGrad();
        gm.model.forwardBackward({ ...b, normalizer, dropout: false });
        return flattenByLayer(gm.layout, gm.model.getLoraGrads()).map((v) => Float64Array.from(v));
      };
      const seq = Math.min(256, spec.maxPositions);
      const train = RECORDS.map((x) => full(makeTrainBatch([tokenizeRecord(tok, { kind: 'text', text: x.text }, ids.eos[0] ?? null)], seq, ids.pad)));
      const promptIds = tok.encode(PROMPT, { addSpecialTokens: false });
      const all = [...promptIds, ...tok.encode(COMPLETION, { addSpecialTokens: false })];
      expect(all.length - promptIds.length).toBe(r.tokens.length);
      // One span covers the completion; its pass sees the last `context` tokens (as the product's).
      expect(r.tokens.length).toBeLessThanOrEqual(DEFAULT_QUERY.span);
      const last = all.length - 1;
      const start = Math.max(0, last - Math.min(DEFAULT_QUERY.context, spec.maxPositions));
      const n = last - start;
      const query = full({ tokens: Int32Array.from(all.slice(start, last)), targets: Int32Array.from(all.slice(start + 1)), mask: Float32Array.from({ length: n }, (_, i) => (start + i + 1 >= promptIds.length ? 1 : 0)), batch: 1, seq: n }, 1);
      const ref = dataInfReference(train, query, gm.layout.paramsPerLayer);
      const refTop = RECORDS[ref.indexOf(Math.max(...ref))]!.id;
      expect(refTop).toBe(TARGET.id);
      expect(new Set(gradientTops(r))).toEqual(new Set([refTop]));
      // Combined: the reproduced record leads every token, and its contributor the shares.
      expect(r.tokens.every((t) => t.attribution.records[0]?.record === TARGET.id)).toBe(true);
      expect(r.contributors[0]!.address).toBe(CAROL);
    } finally {
      await core.close();
    }
  });

  it('refuses a store from another adapter by its fingerprint, says so, and rebuilds it', async () => {
    // Adapter B's store files put in adapter A's store folder.
    for (const f of ['records.sgrd', 'datainf.sgrd', 'store.json']) fs.copyFileSync(path.join(storeB, f), path.join(storeA, f));
    const core = StudioCore.open({ home, mode: 'embedded', devnet: 'off' });
    try {
      core.setPlaygroundModel(model);
      const ask = () => attribute(core);
      const refused = await ask();
      expect(refused.evidence.gradient).toBeNull();
      expect(refused.evidence.note).toMatch(/gradient store was refused \(.*belongs to another adapter.*\); job \S+ is building it.*: exact spans only\.$/);
      expect(refused.tokens.flatMap((t) => t.attribution.records).every((x) => x.gradientScore === null)).toBe(true);
      const job = /job (\S+) is building it/.exec(refused.evidence.note!)![1]!;
      expect(await until(core, job)).toMatchObject({ kind: 'attribution.gradients', status: 'succeeded', result: { reused: false, records: 4 } });
      const rebuilt = await ask();
      expect(rebuilt.evidence.gradient).toBe('datainf');
      expect(new Set(gradientTops(rebuilt))).toEqual(new Set([TARGET.id]));
    } finally {
      await core.close();
    }
  });

  it('finds the store for a copy of the adapter folder (generate --attribute), by its file hashes', () => {
    const copy = path.join(root, 'elsewhere', 'copied-adapter');
    fs.cpSync(outA, copy, { recursive: true });
    const r = ok('generate', '--model', model, '--adapter', copy, '--prompt', PROMPT, '--max-tokens', '6', '--attribute');
    expect(r.attribution).toMatchObject({ adapter: adapterA, datanetFrom: 'lineage', evidence: { gradient: 'datainf' } });
    expect(r.tokens).toHaveLength(6);
    for (const t of r.tokens) for (const x of t.attribution.records) expect(x).toEqual({ record: expect.any(String), contributor: expect.any(String), score: expect.any(Number), spanScore: expect.any(Number), gradientScore: expect.any(Number), contextScore: expect.any(Number) });
  });
});
