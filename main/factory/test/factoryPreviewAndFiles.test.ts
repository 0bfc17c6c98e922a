// The format node's preview (factory.formatPreview) and pipeline files (pipelines.*) through the
// core's API with a real workspace (SQLite file), a datanet imported, accepted and frozen by its
// jobs, and the built-in default model's tokenizer.
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCore } from '../../cli/callCore';
import { runJobToEnd } from '../../cli/runJobToEnd';
import { StudioCore } from '../../core/studioCore';

const ALICE = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8';
const BOB = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC';
// One workspace for the file: opening a core and freezing a datanet version takes seconds.
let home: string;
let c: StudioCore;
beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-factory-preview-'));
  c = await workspaceWithQa(home);
}, 120_000);
afterAll(async () => {
  await c?.close();
  fs.rmSync(home, { recursive: true, force: true });
});

const QA = [
  { prompt: 'Name the largest ocean.', response: 'The Pacific Ocean is the largest.' },
  { prompt: 'What do bees make?', response: 'Bees make honey from nectar.' },
  { prompt: 'Which planet is red?', response: 'Mars is called the red planet.' },
  { prompt: 'How many legs has a spider?', response: 'A spider has eight legs.' },
];

async function workspaceWithQa(home: string): Promise<StudioCore> {
  const core = StudioCore.open({ home, mode: 'embedded' });
  await callCore(core, 'datanets.create', { name: 'qa', schema: 'instruction' });
  const file = path.join(home, 'qa.jsonl');
  fs.writeFileSync(file, QA.map((r, i) => JSON.stringify({ id: `q${i}`, ...r, who: i % 2 ? BOB : ALICE })).join('\n') + '\n');
  await runJobToEnd(core, 'datanet.import', { datanet: 'qa', path: file, mapping: { contributorField: 'who' } }, () => {});
  await callCore(core, 'datanets.review', { datanet: 'qa', filter: 'status:pending', action: 'accept' });
  await callCore(core, 'datanets.createVersion', { datanet: 'qa' });
  return core;
}

const pipeline = (o: { format?: string; seq?: number; extra?: string } = {}) => `pipeline: 1
datanet:
  name: qa
split:
  evalFraction: 0.5
format:
${o.format ?? '  kind: instruction'}
model:
  base: default
train:
  steps: 4
  seq: ${o.seq ?? 64}
adapter:
  name: qa-adapter
${o.extra ?? ''}`;

const join = (tokens: { text: string; special: boolean }[]) => tokens.filter((t) => !t.special).map((t) => t.text).join('');

describe('factory.formatPreview', () => {
  it('formats and tokenizes records as a run trains them: the instruction head masked out of the loss, the response in it', async () => {
    const out = await callCore(c, 'factory.formatPreview', { yaml: pipeline(), limit: 4 });
    expect(out.seq).toBe(64);
    expect(out.records.map((r) => r.sourceId)).toEqual(['q0', 'q1', 'q2', 'q3']);
    // Half held out by the split node, as a run would.
    expect(out.records.filter((r) => r.split === 'eval')).toHaveLength(2);
    for (const [i, r] of out.records.entries()) {
      const head = `### Instruction:\n${QA[i]!.prompt}\n\n### Response:\n`;
      expect(r.prompt).toBe(head);
      expect(r.response).toBe(QA[i]!.response);
      expect(r.dropped).toBe(0);
      expect(join(r.tokens)).toBe(head + QA[i]!.response);
      // The mask: what the loss sees is exactly the response (and the closing EOS).
      expect(join(r.tokens.filter((t) => t.weight > 0))).toBe(QA[i]!.response);
      expect(join(r.tokens.filter((t) => t.weight === 0))).toBe(head);
      expect(r.tokens.at(-1)).toMatchObject({ special: true, weight: 1 });
    }
  });

  it('trains on every token but the first without responseOnlyLoss, and cuts a row at seq + 1 tokens', async () => {
    const all = await callCore(c, 'factory.formatPreview', { yaml: pipeline({ format: '  kind: instruction\n  responseOnlyLoss: false' }), limit: 1 });
    const r = all.records[0]!;
    expect(r.tokens[0]!.weight).toBe(0);
    expect(r.tokens.slice(1).every((t) => t.weight === 1)).toBe(true);
    const total = r.tokens.length;
    const cut = (await callCore(c, 'factory.formatPreview', { yaml: pipeline({ seq: 8 }), limit: 1 })).records[0]!;
    expect(cut.tokens).toHaveLength(9);
    expect(cut.dropped).toBe(total - 9);
  });

  it('refuses a pipeline that does not resolve, naming the node', async () => {
    await expect(callCore(c, 'factory.formatPreview', { yaml: pipeline().replace('name: qa\n', 'name: nope\n') })).rejects.toThrow(/PIPELINE_INVALID|datanet\.name: .*nope/);
    await expect(callCore(c, 'factory.formatPreview', { yaml: pipeline(), limit: 0 })).rejects.toThrow(/limit/);
  });
});

describe('pipelines.save, list and read', () => {
  it('saves the text as NAME.pipeline.yaml in the workspace, lists and reads it back byte for byte, and replaces it only when asked', async () => {
    expect(await callCore(c, 'pipelines.list', {})).toEqual([]);
    const text = `# a comment the editor keeps\n${pipeline()}`;
    const saved = await callCore(c, 'pipelines.save', { name: 'qa-tune', yaml: text });
    expect(saved.path).toBe(path.join(c.workspace.layout.root, 'pipelines', 'qa-tune.pipeline.yaml'));
    expect(fs.readFileSync(saved.path, 'utf8')).toBe(text);
    expect((await callCore(c, 'pipelines.list', {})).map((f) => f.name)).toEqual(['qa-tune']);
    expect(await callCore(c, 'pipelines.read', { name: 'qa-tune' })).toMatchObject({ name: 'qa-tune', path: saved.path, yaml: text });

    await expect(callCore(c, 'pipelines.save', { name: 'qa-tune', yaml: 'pipeline: 1\n' })).rejects.toThrow(/already exists/);
    expect(fs.readFileSync(saved.path, 'utf8')).toBe(text);
    await callCore(c, 'pipelines.save', { name: 'qa-tune', yaml: `${text}# second\n`, overwrite: true });
    expect(fs.readFileSync(saved.path, 'utf8')).toBe(`${text}# second\n`);
    // No temporary file is left beside it.
    expect(fs.readdirSync(path.dirname(saved.path))).toEqual(['qa-tune.pipeline.yaml']);

    await expect(callCore(c, 'pipelines.save', { name: '../escape', yaml: text })).rejects.toThrow(/pipeline file name/);
    await expect(callCore(c, 'pipelines.read', { name: 'missing' })).rejects.toThrow(/No pipeline file missing\.pipeline\.yaml/);
  });
});
