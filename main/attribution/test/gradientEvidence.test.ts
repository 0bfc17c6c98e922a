// End to end on a tiny Llama with the native engine: train an adapter on a few records, compute
// its record gradient store, and attribute a response that reproduces one record's text.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { makeTmpDir } from '../../engine/test/tmpDir';
import { buildTestModel } from '../../engine/testModels/buildTestModel';
import { modelSpecWithFiles } from '../../engine/modelSpecWithFiles';
import { Tokenizer } from '../../engine/tokenizer/Tokenizer';
import { loadNativeEngine } from '../../engine/native/index';
import { trainLora } from '../../engine/training/trainLora';
import type { TrainingRecord } from '../../engine/training/readTrainingRecords';
import { loadGradientModel, type GradientModelWithLayout } from '../loadGradientModel';
import { computeRecordGradientStore, gradientStoreFingerprint, openRecordGradientStore, type RecordGradientStore } from '../recordGradientStore';
import { computeGradientEvidence } from '../gradientEvidence';
import { exactTokenGradients, spanTokenGradients } from '../tokenGradients';
import { flattenByLayer } from '../loraLayerLayout';
import { dataInfReference } from '../influenceReference';
import { tokenizeRecord } from '../../engine/training/tokenizeRecord';
import { makeTrainBatch } from '../../engine/training/makeTrainBatch';
import { precondition } from '../influenceScores';

const tmp = makeTmpDir('attr-evidence');
afterAll(tmp.cleanup);

const TEXTS = [
  'the harbour lights blink green when the ferry leaves at dawn',
  'seven copper kettles hang above the baker on market street',
  'violet moths gather under the bridge lamps every quiet winter night',
  'our orchard keeps twelve rows of pears beside the old stone wall',
  'a red kite circles the quarry while the miners eat their lunch',
  'the library clock chimes thirteen times on the first of each month',
];
const records: { id: string; record: TrainingRecord }[] = TEXTS.map((text, i) => ({ id: `src-${i}`, record: { kind: 'text', text } }));
const EOS = 2;

let tok: Tokenizer;
let gm: GradientModelWithLayout;
let store: RecordGradientStore;

beforeAll(() => {
  const m = buildTestModel(join(tmp.dir, 'model'), { family: 'llama' });
  const spec = modelSpecWithFiles(m.dir);
  tok = Tokenizer.fromModelDir(m.dir);
  const engine = loadNativeEngine();
  const trainer = new engine.Model(spec);
  const { adapter } = trainLora(trainer, spec, tok, records.map((r) => r.record), {
    targets: ['q', 'v', 'o', 'down'], rank: 4, alpha: 8, steps: 30, batch: 3, seq: 48, schedule: { lr: 1e-2, kind: 'constant', warmupSteps: 0 }, seed: 1, eosId: EOS, padId: EOS,
  });
  gm = loadGradientModel(m.dir, adapter);
  // 256 values per layer: at 64 the projection's noise costs ~0.15 of per-token top-1 here.
  const settings = { kPerLayer: 256, seed: 5, seq: 48 };
  const fingerprint = gradientStoreFingerprint({ adapterConfigSha256: 'a'.repeat(64), adapterWeightsSha256: 'b'.repeat(64), base: m.dir, ...settings });
  computeRecordGradientStore(gm.model, tok, records, { ...settings, outDir: join(tmp.dir, 'store'), layout: gm.layout, fingerprint, eosId: EOS, padId: EOS, lrWeight: 1e-2 });
  store = openRecordGradientStore(join(tmp.dir, 'store'), fingerprint);
}, 120_000);

describe('gradient evidence on a tiny model', () => {
  it('the store has a row per record keyed by source id, per-layer damping for both layers', () => {
    expect(store.ids).toEqual(records.map((r) => r.id));
    expect(store.meta.layers).toBe(2);
    expect(store.meta.lambdas.every((x) => x > 0)).toBe(true);
    expect(store.k).toBe(512);
  });

  for (const method of ['datainf', 'tracin'] as const) {
    it(`${method}: the record whose text the response reproduces ranks top for its tokens`, () => {
      for (const target of [2, 4]) {
        const ids = tok.encode(TEXTS[target]!);
        const promptIds = ids.slice(0, 3);
        const responseIds = ids.slice(3);
        const ev = computeGradientEvidence({ model: gm.model, layout: gm.layout, maxPositions: gm.maxPositions, promptIds, responseIds, store, method });
        expect(ev.method).toBe(method);
        expect(ev.perToken).toHaveLength(responseIds.length);
        for (const list of ev.perToken) {
          if (list.length === 0) continue;
          expect(list[0]!.score).toBe(1);
          expect(list.every((x, i) => x.score > 0 && x.score <= 1 && (i === 0 || x.score <= list[i - 1]!.score))).toBe(true);
        }
        const tops = ev.perToken.map((l) => l[0]?.record);
        const hits = tops.filter((r) => r === `src-${target}`).length;
        // Per token most, not all: a sub-word shared by many records ("the", "er") spreads its
        // influence (0.7 to 0.75 measured here); over the response the record is first by far.
        expect(hits / responseIds.length).toBeGreaterThanOrEqual(0.6);
        const total = new Map<string, number>();
        for (const list of ev.perToken) for (const x of list) total.set(x.record, (total.get(x.record) ?? 0) + x.score);
        const ranked = [...total].sort((a, b) => b[1] - a[1]);
        expect(ranked[0]![0]).toBe(`src-${target}`);
        expect(ranked[0]![1]).toBeGreaterThan(2 * ranked[1]![1]);
      }
    });
  }

  it('a span gradient is the sum of its tokens’ exact gradients (what the fast path shares among them)', () => {
    const ids = tok.encode(TEXTS[1]!);
    const o = { layout: gm.layout, kPerLayer: store.meta.kPerLayer, seed: store.meta.seed, maxPositions: gm.maxPositions };
    const K = store.k;
    const exact = exactTokenGradients(gm.model, ids, 2, o);
    const spans = spanTokenGradients(gm.model, ids, 2, 4, o);
    const n = ids.length - 2;
    let worst = 0, scale = 0;
    for (let a = 0; a < n; a += 4) {
      for (let j = 0; j < K; j++) {
        let sum = 0;
        for (let t = a; t < Math.min(n, a + 4); t++) sum += exact[t * K + j]!;
        for (let t = a; t < Math.min(n, a + 4); t++) worst = Math.max(worst, Math.abs(spans[t * K + j]! - sum));
        scale = Math.max(scale, Math.abs(sum));
      }
    }
    expect(scale).toBeGreaterThan(0);
    expect(worst / scale).toBeLessThan(1e-4);
    expect(spanTokenGradients(gm.model, ids, 2, 1, o)).toEqual(exact);
  });

  it('a context longer than the model’s positions is cut on the left, not refused', () => {
    const ids = tok.encode(TEXTS.join(' '));
    const o = { layout: gm.layout, kPerLayer: 8, seed: 1, maxPositions: 16 };
    const g = exactTokenGradients(gm.model, ids, ids.length - 3, o);
    expect(g.length).toBe(3 * 2 * 8);
    expect(g.some((x) => x !== 0)).toBe(true);
  });

  it('DataInf on per-layer projections tracks DataInf on the full, unprojected gradients', () => {
    // Full per-layer gradients of every record and of each response token, straight from the engine.
    const full = (b: { tokens: Int32Array; targets: Int32Array; mask: Float32Array; batch: number; seq: number }, normalizer?: number) => {
      gm.model.zeroGrad();
      gm.model.forwardBackward({ ...b, normalizer, dropout: false });
      return flattenByLayer(gm.layout, gm.model.getLoraGrads()).map((v) => Float64Array.from(v));
    };
    const train = records.map((r) => full(makeTrainBatch([tokenizeRecord(tok, r.record, EOS)], 48, EOS)));
    const ids = tok.encode(TEXTS[3]!);
    const o = { layout: gm.layout, kPerLayer: store.meta.kPerLayer, seed: store.meta.seed, maxPositions: gm.maxPositions };
    const H = precondition(store.preconditioner, store.meta.kPerLayer, exactTokenGradients(gm.model, ids, 3, o));
    let agree = 0, corr = 0;
    const n = ids.length - 3;
    for (let j = 0; j < n; j++) {
      const seq = 3 + j;
      const b = { tokens: Int32Array.from(ids.slice(0, seq)), targets: Int32Array.from(ids.slice(1, seq + 1)), mask: Float32Array.from({ length: seq }, (_, i) => (i === seq - 1 ? 1 : 0)), batch: 1, seq };
      const ref = dataInfReference(train, full(b, 1), gm.layout.paramsPerLayer);
      const fast = Array.from({ length: store.rows }, (_, r) => {
        let s = 0;
        const row = store.rowsView(r, r + 1);
        for (let x = 0; x < store.k; x++) s += row[x]! * H[j * store.k + x]!;
        return s;
      });
      const top = (v: number[]) => v.indexOf(Math.max(...v));
      if (top(ref) === top(fast)) agree++;
      const mean = (v: number[]) => v.reduce((a, x) => a + x, 0) / v.length;
      const [ma, mb] = [mean(ref), mean(fast)];
      const cov = ref.reduce((a, x, i) => a + (x - ma) * (fast[i]! - mb), 0);
      corr += cov / Math.sqrt(ref.reduce((a, x) => a + (x - ma) ** 2, 0) * fast.reduce((a, x) => a + (x - mb) ** 2, 0));
    }
    // Measured: the top record agrees for 0.77 of tokens, mean Pearson 0.82 (256 values per layer
    // for ~2,000 parameters: the projection's noise). A projection that mixed layers or seeds up
    // would score ~0 here.
    expect(agree / n).toBeGreaterThanOrEqual(0.6);
    expect(corr / n).toBeGreaterThan(0.7);
  });
});
