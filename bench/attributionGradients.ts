// Benchmark: gradient attribution (Evidence 2, main/attribution/).
//  1. Speed at the default model's shape (Llama 6 x 256, 8 heads / 4 KV, MLP 768, 8192-token tied
//     vocabulary: ~6.8M parameters, seeded random f32 weights; LoRA r8 on q,v as training's
//     default): the per-record cost of building the store, the query gradients of a 256-token
//     response (exact: one backward per token, or with the context cut to 32 tokens; spans of
//     8/16/32), and DataInf / TracIn scoring of
//     its 256 tokens against N store rows (ATTR_BENCH_RECORDS, default 100,000; random rows, since
//     scoring time does not depend on their values), and the store's bytes per record.
//  2. What the span shortcut costs in quality against exact per-token gradients, on a tiny Llama
//     (2 x 64) with an adapter trained on 48 synthetic records (spans of 2..16 tokens; exact
//     per-token gradients with the context cut to 8 or 16 tokens): per token, Spearman correlation of
//     all records' DataInf scores, overlap of the top 5, agreement of the top record, and how often
//     the reproduced record is the token's top record.
// Wall and CPU seconds both, since the box is shared. Prints JSON.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { spearmanCorrelation } from '../main/attribution/eval/spearmanCorrelation.js';
import { buildTestModel } from '../main/engine/testModels/buildTestModel.js';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine, type NativeModel } from '../main/engine/native/index.js';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer.js';
import { trainLora } from '../main/engine/training/trainLora.js';
import { tokenizeRecord } from '../main/engine/training/tokenizeRecord.js';
import { makeTrainBatch } from '../main/engine/training/makeTrainBatch.js';
import { loraLayerLayout, projectByLayer } from '../main/attribution/loraLayerLayout.js';
import { exactTokenGradients, spanTokenGradients } from '../main/attribution/tokenGradients.js';
import { dataInfLambdas, dataInfPreconditioner, precondition, topRowsPerQuery } from '../main/attribution/influenceScores.js';
import { computeRecordGradientStore, openRecordGradientStore, writeRecordGradientStore, type RecordGradientStore } from '../main/attribution/recordGradientStore.js';
import { loadGradientModel } from '../main/attribution/loadGradientModel.js';

const DEFAULT_SHAPE = { vocabSize: 8192, hiddenSize: 256, numLayers: 6, numHeads: 8, numKvHeads: 4, headDim: 32, intermediateSize: 768, maxPositions: 256, tieWordEmbeddings: true, ropeScaling: null, ropeTheta: 10000 };
const K_PER_LAYER = 128;

function timed<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, wall: +((performance.now() - t0) / 1000).toFixed(3), cpu: +((c.user + c.system) / 1e6).toFixed(3) };
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

function speed(dir: string) {
  const engine = loadNativeEngine();
  const m = buildTestModel(path.join(dir, 'default-shape'), { family: 'llama', overrides: DEFAULT_SHAPE });
  const spec = modelSpecWithFiles(m.dir);
  const model: NativeModel = new engine.Model(spec);
  model.addLora({ targets: ['q', 'v'], rank: 8, alpha: 16 });
  const r = lcg(3);
  model.setLoraTensors(Object.fromEntries(Object.entries(model.getLoraTensors()).map(([n, t]) => [n, Float32Array.from(t.data, () => r() * 0.05)])));
  const layout = loraLayerLayout(model.getLoraTensors());
  const K = layout.layers * K_PER_LAYER;
  const o = { layout, kPerLayer: K_PER_LAYER, seed: 1, maxPositions: spec.maxPositions };
  const params = Object.values(model.getLoraTensors()).reduce((n, t) => n + t.data.length, 0);

  // Store rows: records of 128 tokens, as computeRecordGradientStore computes each.
  const tok = Tokenizer.fromModelDir(m.dir);
  const texts = Array.from({ length: 8 }, (_, i) => Array.from({ length: 40 }, (_, j) => `word${(i * 31 + j * 7) % 97} `).join(''));
  const row = new Float32Array(K);
  const perRecord = timed(() => {
    for (const t of texts) {
      const b = makeTrainBatch([tokenizeRecord(tok, { kind: 'text', text: t }, 2)], 128, 2);
      model.zeroGrad();
      model.forwardBackward({ ...b, dropout: false });
      projectByLayer(layout, model.getLoraGrads(), K_PER_LAYER, 1, row);
    }
  });

  // A 256-token response after a 1-token prompt (the model's whole context).
  const ids = Array.from({ length: 257 }, () => 3 + Math.floor((r() + 0.5) * (spec.vocabSize - 3)));
  // Exact: one pass per token; timed on every 16th token (contexts 16..256, the mean cost) and
  // scaled to 256; also with the context cut to the last 32 tokens.
  const sample = Array.from({ length: 16 }, (_, i) => 16 * (i + 1));
  const exactSample = sample.length;
  const exact = timed(() => sample.forEach((t) => exactTokenGradients(model, ids.slice(0, t + 1), t, o)));
  const window32 = timed(() => sample.forEach((t) => exactTokenGradients(model, ids.slice(0, t + 1), t, { ...o, maxPositions: 32 })));
  const spans = [8, 16, 32].map((w) => ({ span: w, ...timed(() => spanTokenGradients(model, ids, 1, w, o)) }));
  const queries = spanTokenGradients(model, ids, 1, 32, o);

  // Scoring against N rows.
  const N = Number(process.env['ATTR_BENCH_RECORDS'] ?? 100_000);
  const storeDir = path.join(dir, 'store');
  const rows = new Float32Array(N * K);
  for (let i = 0; i < rows.length; i++) rows[i] = r();
  const mat = { rows: N, k: K, rowsView: (a: number, b: number) => rows.subarray(a * K, b * K) };
  const build = timed(() => {
    const lambdas = dataInfLambdas(mat, K_PER_LAYER, layout.paramsPerLayer);
    const P = dataInfPreconditioner(mat, K_PER_LAYER, lambdas);
    const ids2 = Array.from({ length: N }, (_, i) => `imp-${Math.floor(i / 1000)}:${i % 1000}`);
    writeRecordGradientStore(storeDir, { version: 1, fingerprint: 'ab'.repeat(32), kPerLayer: K_PER_LAYER, seed: 1, seq: 256, layers: layout.layers, paramsPerLayer: layout.paramsPerLayer, lambdas, lrWeight: 1, records: N, skipped: [] }, rows, ids2, P);
  });
  const bytes = ['records.sgrd', 'datainf.sgrd', 'store.json'].reduce((n, f) => n + statSync(path.join(storeDir, f)).size, 0);
  const store = timed(() => openRecordGradientStore(storeDir, 'ab'.repeat(32)));
  const s = store.value;
  topRowsPerQuery(s, queries.subarray(0, K), 10); // page the mapping in once, as a served store is
  const datainf = timed(() => topRowsPerQuery(s, precondition(s.preconditioner, K_PER_LAYER, queries), 10));
  const tracin = timed(() => topRowsPerQuery(s, queries, 10, s.meta.lrWeight));
  const perPass = spans[0]!.wall / Math.ceil(256 / 8);
  return {
    model: { parameters: `${DEFAULT_SHAPE.numLayers} x ${DEFAULT_SHAPE.hiddenSize}, vocab ${DEFAULT_SHAPE.vocabSize} tied`, loraParameters: params, layers: layout.layers, kPerLayer: K_PER_LAYER, k: K },
    storeBuild: { secondsPerRecord128Tokens: +(perRecord.wall / texts.length).toFixed(4), cpuSecondsPerRecord: +(perRecord.cpu / texts.length).toFixed(4), extrapolatedHoursFor100k: +(((perRecord.wall / texts.length) * 100_000) / 3600).toFixed(2) },
    queryGradients256Tokens: {
      exact: { measuredTokens: exactSample, wall: exact.wall, cpu: exact.cpu, extrapolatedWallFor256: +((exact.wall / exactSample) * 256).toFixed(2), extrapolatedCpuFor256: +((exact.cpu / exactSample) * 256).toFixed(2) },
      exactContext32: { measuredTokens: exactSample, wall: window32.wall, cpu: window32.cpu, extrapolatedWallFor256: +((window32.wall / exactSample) * 256).toFixed(2), extrapolatedCpuFor256: +((window32.cpu / exactSample) * 256).toFixed(2) },
      spans: spans.map(({ span, wall, cpu }) => ({ span, passes: Math.ceil(256 / span), wall, cpu })),
      secondsPerBackwardPass: +perPass.toFixed(4),
    },
    scoring256Tokens: { records: N, preconditionerBuildAndWrite: build.wall, open: store.wall, datainf: { wall: datainf.wall, cpu: datainf.cpu }, tracin: { wall: tracin.wall, cpu: tracin.cpu } },
    storeBytesPerRecord: +(bytes / N).toFixed(1),
  };
}

function allScores(s: RecordGradientStore, h: Float32Array): Float32Array {
  return loadNativeEngine().gemm({ transA: false, transB: true, M: s.rows, N: h.length / s.k, K: s.k, A: s.rowsView(0, s.rows), B: h });
}

function quality(dir: string) {
  const engine = loadNativeEngine();
  const m = buildTestModel(path.join(dir, 'tiny'), { family: 'llama' });
  const spec = modelSpecWithFiles(m.dir);
  const tok = Tokenizer.fromModelDir(m.dir);
  const nouns = ['harbour', 'kettle', 'orchard', 'quarry', 'lantern', 'meadow', 'ferry', 'bakery', 'violin', 'glacier', 'market', 'chapel'];
  const verbs = ['guards', 'paints', 'follows', 'repairs', 'carries', 'counts'];
  const adjs = ['green', 'silent', 'copper', 'narrow', 'ancient', 'bright', 'hollow', 'frozen'];
  const r = lcg(11);
  const pick = <T>(xs: T[]) => xs[Math.floor((r() + 0.5) * xs.length)]!;
  const texts = Array.from({ length: 48 }, () => `the ${pick(adjs)} ${pick(nouns)} ${pick(verbs)} a ${pick(adjs)} ${pick(nouns)} near the ${pick(nouns)}`);
  const records = texts.map((text, i) => ({ id: `r${i}`, record: { kind: 'text' as const, text } }));
  const { adapter } = trainLora(new engine.Model(spec), spec, tok, records.map((x) => x.record), {
    targets: ['q', 'v', 'o', 'down'], rank: 4, alpha: 8, steps: 80, batch: 8, seq: 48, schedule: { lr: 1e-2, kind: 'constant', warmupSteps: 0 }, seed: 1, eosId: 2, padId: 2,
  });
  const gm = loadGradientModel(m.dir, adapter);
  computeRecordGradientStore(gm.model, tok, records, { kPerLayer: K_PER_LAYER, seed: 5, seq: 48, outDir: path.join(dir, 'qstore'), layout: gm.layout, fingerprint: 'cd'.repeat(32), eosId: 2, padId: 2 });
  const store = openRecordGradientStore(path.join(dir, 'qstore'), 'cd'.repeat(32));
  const o = { layout: gm.layout, kPerLayer: K_PER_LAYER, seed: 5, maxPositions: spec.maxPositions };
  const responses = [0, 7, 15, 23, 31, 39, 47];
  const variants = [2, 4, 8, 16];
  const acc = new Map<string, { rho: number; top5: number; top1: number; hit: number; n: number }>();
  const add = (key: string, v: { rho: number; top5: number; top1: number; hit: number }) => {
    const a = acc.get(key) ?? { rho: 0, top5: 0, top1: 0, hit: 0, n: 0 };
    acc.set(key, { rho: a.rho + v.rho, top5: a.top5 + v.top5, top1: a.top1 + v.top1, hit: a.hit + v.hit, n: a.n + 1 });
  };
  const order = (s: ArrayLike<number>) => Array.from({ length: s.length }, (_, i) => i).sort((i, j) => s[j]! - s[i]!);
  for (const target of responses) {
    const ids = tok.encode(texts[target]!);
    const exact = exactTokenGradients(gm.model, ids, 3, o);
    const T = ids.length - 3;
    const E = allScores(store, precondition(store.preconditioner, K_PER_LAYER, exact));
    const approx: [string, Float32Array][] = [
      ['exact', exact],
      ...variants.map((w): [string, Float32Array] => [`span${w}`, spanTokenGradients(gm.model, ids, 3, w, o)]),
      ...[8, 16].map((c): [string, Float32Array] => [`context${c}`, exactTokenGradients(gm.model, ids, 3, { ...o, maxPositions: c })]),
    ];
    for (const [name, q] of approx) {
      const S = name === 'exact' ? E : allScores(store, precondition(store.preconditioner, K_PER_LAYER, q));
      for (let t = 0; t < T; t++) {
        const e = Float32Array.from({ length: store.rows }, (_, i) => E[i * T + t]!);
        const a = Float32Array.from({ length: store.rows }, (_, i) => S[i * T + t]!);
        const oe = order(e), oa = order(a);
        const top5 = oa.slice(0, 5).filter((i) => oe.slice(0, 5).includes(i)).length / 5;
        add(name, { rho: spearmanCorrelation(Array.from(e), Array.from(a)), top5, top1: oa[0] === oe[0] ? 1 : 0, hit: oa[0] === target ? 1 : 0 });
      }
    }
  }
  return {
    setup: { model: 'tiny Llama 2 x 64 (test preset), LoRA r4 on q,v,o,down, 80 steps on 48 synthetic records', kPerLayer: K_PER_LAYER, responses: responses.length, tokens: acc.get('exact')?.n ?? 0 },
    vsExact: Object.fromEntries(
      [...acc].map(([k, v]) => [k, { spearman: +(v.rho / v.n).toFixed(3), top5Overlap: +(v.top5 / v.n).toFixed(3), top1Agreement: +(v.top1 / v.n).toFixed(3), reproducedRecordTop1: +(v.hit / v.n).toFixed(3) }]),
    ),
  };
}

export async function attributionGradients(): Promise<unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-attr-grad-'));
  try {
    const load0 = loadavg()[0];
    const q = quality(dir);
    const s = speed(dir);
    return { loadAverageAtStart: load0, loadAverageAtEnd: loadavg()[0], threads: loadNativeEngine().getThreads(), speed: s, quality: q };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
