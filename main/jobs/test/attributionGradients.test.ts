import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../api/jobSchemas';
import { tempDir } from '../../../test/support/tempDir';
import { buildTestModel } from '../../engine/testModels/buildTestModel';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { loadNativeEngine } from '../../engine/native/index';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import { trainLora } from '../../engine/training/trainLora';
import { savePeftAdapter } from '../../engine/peft/savePeftAdapter';
import { WorkspaceManager } from '../../workspace/workspaceManager';
import { GradientStoreMismatchError, openRecordGradientStore } from '../../attribution/recordGradientStore';
import { recordGradientStoreFingerprint } from '../../attribution/ensureRecordGradientStore';
import { DEFAULT_PROJECTION, gradientEvidenceForAdapter } from '../../attribution/gradientEvidenceForAdapter';
import { AttributionGradientsParamsSchema } from '../../api/attributionGradientSchemas';
import { JobRunner } from '../jobRunner';

// The 'attribution.gradients' kind through the real runner and worker thread.
const until = (runner: JobRunner, id: string) =>
  new Promise<Job>((resolve) => {
    const poll = () => {
      const j = runner.get(id);
      if (!['queued', 'running'].includes(j.status)) resolve(j);
      else setTimeout(poll, 10);
    };
    poll();
  });

describe('attribution.gradients job', () => {
  it('defaults to the projection the query side looks its store up with', () => {
    const p = AttributionGradientsParamsSchema.parse({ model: 'm', adapter: 'a', data: 'd' });
    expect({ kPerLayer: p.kPerLayer, seed: p.seed, seq: p.seq }).toEqual(DEFAULT_PROJECTION);
  });

  it('computes a store keyed by source ids once per adapter, reuses it, and another adapter gets its own', async () => {
    const home = tempDir();
    const m = new WorkspaceManager(home);
    m.create('w');
    const ws = m.open('w', 'test');
    const runner = new JobRunner(ws.db, ws.layout.root, { onJob: () => {}, onLog: () => {}, maxConcurrent: () => 1 });
    const model = buildTestModel(path.join(home, 'llama'), { family: 'llama' });
    const spec = modelSpecWithFiles(model.dir);
    const tok = Tokenizer.fromModelDir(model.dir);
    const texts = ['copper kettles hang in the bakery', 'moths gather under bridge lamps', 'twelve rows of pears by the wall'];
    // A datanet snapshot: source ids and contributors beside each record's content.
    const data = path.join(home, 'snapshot.jsonl');
    fs.writeFileSync(data, texts.map((t, i) => `{"id":"imp-1:${i}","contributor":"0x${String(i).repeat(40)}","recordHash":"${'0'.repeat(64)}","content":{"text":${JSON.stringify(t)}}}\n`).join(''));
    const engine = loadNativeEngine();
    const { adapter } = trainLora(new engine.Model(spec), spec, tok, texts.map((text) => ({ kind: 'text' as const, text })), {
      targets: ['q', 'v'], rank: 2, alpha: 4, steps: 4, batch: 3, seq: 24, schedule: { lr: 1e-2, kind: 'constant', warmupSteps: 0 }, seed: 1, eosId: 2, padId: 2,
    });
    const dirA = path.join(home, 'adapter-a');
    savePeftAdapter(dirA, adapter);
    const params = { model: model.dir, adapter: dirA, data, kPerLayer: 16, seq: 24 };

    const first = await until(runner, runner.start('attribution.gradients', params).id);
    expect(first.status).toBe('succeeded');
    const r1 = first.result as { dir: string; fingerprint: string; records: number; reused: boolean; bytesPerRecord: number };
    expect([r1.records, r1.reused]).toEqual([3, false]);
    expect(r1.dir).toBe(path.join(ws.layout.root, 'attribution', 'gradients', r1.fingerprint));
    expect(openRecordGradientStore(r1.dir, r1.fingerprint).ids).toEqual(['imp-1:0', 'imp-1:1', 'imp-1:2']);
    const again = await until(runner, runner.start('attribution.gradients', params).id);
    expect((again.result as { reused: boolean; dir: string }).reused).toBe(true);
    // A damaged store is computed again, not trusted.
    fs.truncateSync(path.join(r1.dir, 'records.sgrd'), 200);
    const repaired = await until(runner, runner.start('attribution.gradients', params).id);
    expect(repaired.result).toMatchObject({ reused: false, records: 3, fingerprint: r1.fingerprint });
    expect(openRecordGradientStore(r1.dir, r1.fingerprint).rows).toBe(3);

    // Another adapter (one weight changed): another fingerprint, and the first store is refused for it.
    const dirB = path.join(home, 'adapter-b');
    const [name, pair] = [...adapter.modules][0]!;
    pair.A.data[0] = pair.A.data[0]! + 0.5;
    adapter.modules.set(name, pair);
    savePeftAdapter(dirB, adapter);
    const fpB = await recordGradientStoreFingerprint({ ...params, adapter: dirB, seed: 0 });
    expect(fpB).not.toBe(r1.fingerprint);
    expect(() => openRecordGradientStore(r1.dir, fpB)).toThrow(GradientStoreMismatchError);
    // Found by fingerprint for adapter A; none yet for adapter B (the caller falls back to spans).
    const storesDir = path.join(ws.layout.root, 'attribution', 'gradients');
    const projection = { kPerLayer: 16, seed: 0, seq: 24 };
    const ids = tok.encode(texts[1]!);
    const ev = await gradientEvidenceForAdapter({ model: model.dir, adapter: dirA, storesDir, promptIds: ids.slice(0, 2), responseIds: ids.slice(2), projection });
    expect(ev?.perToken).toHaveLength(ids.length - 2);
    expect(ev!.perToken.flat().every((x) => ['imp-1:0', 'imp-1:1', 'imp-1:2'].includes(x.record))).toBe(true);
    expect(await gradientEvidenceForAdapter({ model: model.dir, adapter: dirB, storesDir, promptIds: ids.slice(0, 2), responseIds: ids.slice(2), projection })).toBeNull();
    const other = await until(runner, runner.start('attribution.gradients', { ...params, adapter: dirB }).id);
    expect((other.result as { fingerprint: string; reused: boolean })).toMatchObject({ fingerprint: fpB, reused: false });

    // A bad record names its line.
    fs.appendFileSync(data, '{"id":"imp-1:9","content":{"txt":"x"}}\n');
    const bad = await until(runner, runner.start('attribution.gradients', { ...params, kPerLayer: 8 }).id);
    expect(bad.status).toBe('failed');
    expect(bad.error?.message).toMatch(/snapshot\.jsonl:4: a record needs a string "text"/);
    await runner.close();
    ws.close();
  }, 120_000);
});
