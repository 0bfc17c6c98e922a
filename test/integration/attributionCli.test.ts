// Exact-span attribution through the built CLI (`npm run build:node` first): a datanet with three
// contributors made by the datanet commands, `studio attribution index` (built, reused, rebuilt
// when corrupt) and `studio generate --attribute --json` on a tiny model. The model's weights are
// random, so the test plants its greedy output verbatim in one contributor's record: that record
// and contributor must come out on top. Real processes, SQLite workspace and native engine.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readModelConfig } from '../../main/engine/modelConfig';
import { createLoraAdapter } from '../../main/engine/peft/createLoraAdapter';
import { savePeftAdapter } from '../../main/engine/peft/savePeftAdapter';
import { buildTestModel } from '../../main/engine/testModels/buildTestModel';

const bin = path.resolve('bin/studio.mjs');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-attribution-cli-'));
const home = path.join(root, 'home');
const model = path.join(root, 'model');
const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
const CAROL = '0x90F79bf6EB2c4f870365E785982E1f101E93b906';
const PROMPT = 'Once upon a time';

function studio(...args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, STUDIO_HOME: home }, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const ok = (...args: string[]) => {
  const r = studio(...args, '--json');
  expect(r.code, `${args.join(' ')}: ${r.stderr}${r.stdout}`).toBe(0);
  return r.json();
};

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

let generated = '';

describe('studio attribution index and generate --attribute', { timeout: 300_000 }, () => {
  it('makes a datanet whose one record holds the model’s greedy output verbatim', () => {
    expect(fs.existsSync('dist/node/cli.mjs'), 'run `npm run build:node` before the tests').toBe(true);
    buildTestModel(model, { family: 'gpt2', seed: 3 });
    generated = ok('generate', '--model', model, '--prompt', PROMPT, '--max-tokens', '24').text;
    expect(generated.length).toBeGreaterThan(10);
    ok('datanet', 'create', 'tales');
    const rows = [
      { id: 'alice-1', text: `Heard at sea:${generated}`, who: ALICE },
      { id: 'bob-1', text: 'The lighthouse keeper painted the stairs green every spring.', who: BOB },
      { id: 'carol-1', text: `${PROMPT}, bread rises faster in a warm kitchen, the baker said.`, who: CAROL },
    ];
    const data = path.join(root, 'tales.jsonl');
    fs.writeFileSync(data, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(ok('datanet', 'import', 'tales', '--file', data, '--id-field', 'id', '--contributor-field', 'who')).toMatchObject({ imported: 3 });
    ok('datanet', 'review', 'tales', '--filter', 'all', '--action', 'accept');
    expect(ok('datanet', 'version', 'tales')).toMatchObject({ version: 1, records: 3 });
  });

  it('builds the span index, reuses it, and rebuilds it when corrupt', () => {
    const built = ok('attribution', 'index', 'tales@1', '--model', model);
    expect(built).toMatchObject({ datanet: { name: 'tales', version: 1 }, built: true, rebuiltBecause: 'no header (never built, or a build was interrupted)', documents: 3, tokenWidth: 2, ptrSize: 4, bytesPerToken: 6 });
    expect(built.tokens).toBeGreaterThan(30);
    expect(ok('attribution', 'index', 'tales', '--model', model)).toMatchObject({ built: false, rebuiltBecause: null });
    const table = path.join(built.dir, 'table.0');
    const bytes = fs.readFileSync(table);
    bytes[1] = bytes[1]! ^ 0x40;
    fs.writeFileSync(table, bytes);
    expect(ok('attribution', 'index', 'tales@1', '--model', model)).toMatchObject({ built: true, rebuiltBecause: 'table.0: checksum mismatch (corrupt)' });
    const missing = studio('attribution', 'index', 'tales@2', '--model', model, '--json');
    expect(missing.code).toBe(1);
    expect(missing.json().error.message).toMatch(/Datanet tales has no version 2/);
  });

  it('attributes the planted output to its record and contributor, token by token and in the shares', () => {
    const r = ok('generate', '--model', model, '--prompt', PROMPT, '--max-tokens', '24', '--attribute', '--datanet', 'tales@1');
    expect(r.text).toBe(generated);
    expect(r.contributors[0]).toEqual({ address: ALICE, share: expect.any(Number) });
    expect(r.contributors[0].share).toBeGreaterThan(0.9);
    expect(r.attribution).toMatchObject({ datanet: { name: 'tales', version: 1 }, datanetFrom: 'argument', evidence: { spans: true, gradient: null }, threshold: { source: 'default' } });
    expect(r.attribution.evidence.note).toMatch(/exact spans only/);
    expect(r.attribution.spans[0]).toMatchObject({ start: 0, end: r.tokens.length, occurrences: 1, records: [{ record: 'alice-1', contributor: ALICE }] });
    for (const t of r.tokens) {
      // No adapter, so no gradient store: the span evidence alone, and gradientScore null.
      // Carol's record holds the prompt but nothing of the response: it re-ranks nothing and is added nowhere.
      expect(t.attribution.records[0]).toEqual({ record: 'alice-1', contributor: ALICE, score: 1, spanScore: expect.any(Number), gradientScore: null, contextScore: 0 });
      expect(t.attribution.span.records).toEqual([{ record: 'alice-1', contributor: ALICE }]);
    }
    expect(r.tokens.at(-1).matchLength).toBe(r.tokens.length);
    // The prompt's own spans are searched too (the context evidence of the rule).
    expect(r.attribution.promptSpans).toEqual([{ start: 0, end: expect.any(Number), text: PROMPT, occurrences: 1, records: [{ record: 'carol-1', contributor: CAROL }] }]);
    expect(r.attribution.combinationRule).toMatch(/Prompt context/);
  });

  it('handles a response longer than the planted record, and asks for a datanet when none is known', () => {
    // 56 new tokens fill the tiny model's 64 positions; the record holds only the first 24.
    const r = ok('generate', '--model', model, '--prompt', PROMPT, '--max-tokens', '56', '--attribute', '--datanet', 'tales');
    expect(r.tokens.length).toBeGreaterThan(24);
    expect(r.text.startsWith(generated)).toBe(true);
    expect(r.attribution.spans.some((s: { start: number; records: { record: string }[] }) => s.start === 0 && s.records[0]?.record === 'alice-1')).toBe(true);
    expect(r.contributors[0].address).toBe(ALICE);
    const none = studio('generate', '--model', model, '--prompt', PROMPT, '--max-tokens', '4', '--attribute', '--json');
    expect(none.code).toBe(1);
    expect(none.json().error.message).toMatch(/no datanet lineage: name one to attribute against \(--datanet NAME\[@VERSION\]/);
  });

  it('recognises a registered adapter copied to another folder by its weights, and says its training data is unknown', () => {
    const adapterDir = path.join(root, 'sailor');
    savePeftAdapter(adapterDir, createLoraAdapter(readModelConfig(model), { r: 2, alpha: 4, targets: ['c_attn'], seed: 1, randomB: true, baseModelNameOrPath: model }));
    ok('adapters', 'import', adapterDir);
    const copy = path.join(root, 'elsewhere', 'sailor-copy');
    fs.cpSync(adapterDir, copy, { recursive: true });
    const noLineage = studio('generate', '--model', model, '--adapter', copy, '--prompt', PROMPT, '--max-tokens', '4', '--attribute', '--json');
    expect(noLineage.code).toBe(1);
    expect(noLineage.json().error.message).toMatch(/Adapter sailor records no datanet it was trained on/);
    const r = ok('generate', '--model', model, '--adapter', copy, '--prompt', PROMPT, '--max-tokens', '8', '--attribute', '--datanet', 'tales@1');
    expect(r.attribution).toMatchObject({ model: 'sailor', adapter: 'sailor', datanetFrom: 'argument', evidence: { spans: true, gradient: null } });
    expect(r.attribution.evidence.note).toMatch(/Adapter sailor's training data is unknown \(no datanet lineage\): exact spans only/);
    expect(r.tokens).toHaveLength(8);
  });
});
