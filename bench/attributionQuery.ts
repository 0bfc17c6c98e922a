// Benchmark: the query side of gradient attribution as the product runs it (attribution.attribute,
// main/attribution/gradientEvidenceForAdapter.ts), on the real default model
// (resources/default-model: Llama 6 x 256, bf16 weights, 8192-token vocabulary) with a LoRA r8 on
// q,v trained here on 24 synthetic records of ~110 tokens (as `studio train` does, 40 steps).
//  1. Speed of the query gradients of a 256-token response: exact (one backward per token; 16
//     sampled, scaled), per span with the whole context, per span with the context cut, one pass;
//     and of DataInf scoring of 256 tokens against ATTR_BENCH_RECORDS rows (default 100,000; random
//     rows, scoring does not depend on their values). Wall and CPU seconds (process.cpuUsage, both
//     engine threads) since the box is shared; the load average beside them.
//  2. What each shortcut costs in quality against the exact computation: for responses that
//     reproduce a record, per token, Spearman correlation of all records' DataInf scores with the
//     exact per-token scores, overlap of the top 5, agreement of the top record, and how often the
//     reproduced record is the token's top record.
// Prints JSON.
import { spearmanCorrelation } from '../main/attribution/eval/spearmanCorrelation';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { modelSpecWithFiles } from '../main/engine/modelSpecWithFiles.js';
import { loadNativeEngine } from '../main/engine/native/index.js';
import { Tokenizer } from '../main/engine/tokenizer/Tokenizer.js';
import { trainLora } from '../main/engine/training/trainLora.js';
import { modelSpecialIds } from '../main/engine/modelSpecialIds.js';
import { exactTokenGradients, spanTokenGradients, type TokenGradientOptions } from '../main/attribution/tokenGradients.js';
import { dataInfLambdas, dataInfPreconditioner, precondition, topRowsPerQuery } from '../main/attribution/influenceScores.js';
import { computeRecordGradientStore, openRecordGradientStore, writeRecordGradientStore, type RecordGradientStore } from '../main/attribution/recordGradientStore.js';
import { loadGradientModel, type GradientModelWithLayout } from '../main/attribution/loadGradientModel.js';
import { DEFAULT_PROJECTION, DEFAULT_QUERY } from '../main/attribution/gradientEvidenceForAdapter.js';

const MODEL = path.resolve('resources/default-model');
const K = DEFAULT_PROJECTION.kPerLayer;

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

/** Variants of the query gradients: [name, span, context]. span 1 is exact. */
const VARIANTS: [string, number, number][] = [
  ['span 8', 8, 256],
  ['span 16', 16, 256],
  ['span 32', 32, 256],
  ['span 64', 64, 256],
  ['span 16, context 32', 16, 32],
  [`span ${DEFAULT_QUERY.span}, context ${DEFAULT_QUERY.context} (product)`, DEFAULT_QUERY.span, DEFAULT_QUERY.context],
  ['span 64, context 64', 64, 64],
  ['exact, context 32', 1, 32],
];

function query(gm: GradientModelWithLayout, ids: number[], start: number, span: number, context: number, seed: number): Float32Array {
  const o: TokenGradientOptions = { layout: gm.layout, kPerLayer: K, seed, maxPositions: Math.min(context, gm.maxPositions) };
  return span === 1 ? exactTokenGradients(gm.model, ids, start, o) : spanTokenGradients(gm.model, ids, start, span, o);
}

function setup(dir: string) {
  const engine = loadNativeEngine();
  const spec = modelSpecWithFiles(MODEL);
  const tok = Tokenizer.fromModelDir(MODEL);
  const special = modelSpecialIds(MODEL);
  const eos = special.eos[0] ?? null;
  const people = ['The harbour master', 'Our neighbour', 'The old teacher', 'A young farmer', 'The baker', 'My grandmother'];
  const places = ['the northern valley', 'a quiet river town', 'the capital', 'the coastal villages', 'the mountain pass', 'the western plains'];
  const deeds = ['built a school for the children', 'repaired the bridge after the flood', 'counted the ships in the bay', 'planted orchards along the road', 'wrote letters to the governor', 'kept the lighthouse burning'];
  const whens = ['every winter', 'in the year of the great storm', 'before the war', 'each spring', 'after the harvest', 'on the first of every month'];
  const r = lcg(17);
  const pick = <T>(xs: T[]) => xs[Math.floor((r() + 0.5) * xs.length)]!;
  const sentence = () => `${pick(people)} of ${pick(places)} ${pick(deeds)} ${pick(whens)}.`;
  const texts = Array.from({ length: 24 }, () => Array.from({ length: 7 }, sentence).join(' '));
  const records = texts.map((text, i) => ({ id: `r${i}`, record: { kind: 'text' as const, text } }));
  const trained = timed(() =>
    trainLora(new engine.Model({ ...spec, backend: 'cpu' }), spec, tok, records.map((x) => x.record), {
      targets: ['q', 'v'], rank: 8, alpha: 16, steps: 40, batch: 4, seq: 128, schedule: { lr: 5e-3, kind: 'constant', warmupSteps: 0 }, seed: 1, eosId: eos, padId: special.pad,
    }),
  );
  const gm = loadGradientModel(MODEL, trained.value.adapter);
  const built = timed(() =>
    computeRecordGradientStore(gm.model, tok, records, { ...DEFAULT_PROJECTION, seq: Math.min(DEFAULT_PROJECTION.seq, spec.maxPositions), outDir: path.join(dir, 'store'), layout: gm.layout, fingerprint: 'ef'.repeat(32), eosId: eos, padId: special.pad }),
  );
  const store = openRecordGradientStore(path.join(dir, 'store'), 'ef'.repeat(32));
  return { gm, tok, texts, store, trainSeconds: { wall: trained.wall, cpu: trained.cpu, losses: [trained.value.losses[0], trained.value.losses.at(-1)] }, storeBuild: { records: records.length, wall: built.wall, cpu: built.cpu } };
}

function speed(gm: GradientModelWithLayout, tok: Tokenizer, texts: string[], dir: string) {
  // A 256-token response after a 1-token prompt (the model's whole context): the records' text.
  const ids = tok.encode(texts.join(' '), { addSpecialTokens: false }).slice(0, 257);
  const sample = Array.from({ length: 16 }, (_, i) => 16 * (i + 1));
  const o: TokenGradientOptions = { layout: gm.layout, kPerLayer: K, seed: 0, maxPositions: gm.maxPositions };
  const exact = timed(() => sample.forEach((t) => exactTokenGradients(gm.model, ids.slice(0, t + 1), t, o)));
  const variants = [...VARIANTS.filter(([, span]) => span > 1), ['one pass', 256, 256] as [string, number, number]].map(([name, span, context]) => {
    const t = timed(() => query(gm, ids, 1, span, context, 0));
    return { name, span, context, passes: Math.ceil(256 / span), wall: t.wall, cpu: t.cpu };
  });
  const queries = query(gm, ids, 1, DEFAULT_QUERY.span, DEFAULT_QUERY.context, 0);

  const N = Number(process.env['ATTR_BENCH_RECORDS'] ?? 100_000);
  const k = gm.layout.layers * K;
  const r = lcg(3);
  const rows = new Float32Array(N * k);
  for (let i = 0; i < rows.length; i++) rows[i] = r();
  const mat = { rows: N, k, rowsView: (a: number, b: number) => rows.subarray(a * k, b * k) };
  const lambdas = dataInfLambdas(mat, K, gm.layout.paramsPerLayer);
  const P = dataInfPreconditioner(mat, K, lambdas);
  writeRecordGradientStore(path.join(dir, 'big'), { version: 1, fingerprint: 'ab'.repeat(32), ...DEFAULT_PROJECTION, layers: gm.layout.layers, paramsPerLayer: gm.layout.paramsPerLayer, lambdas, lrWeight: 1, records: N, skipped: [] }, rows, Array.from({ length: N }, (_, i) => `imp-${i}`), P);
  const s = openRecordGradientStore(path.join(dir, 'big'), 'ab'.repeat(32));
  topRowsPerQuery(s, queries.subarray(0, k), 10); // page the mapping in once, as a served store is
  const scoring = timed(() => topRowsPerQuery(s, precondition(s.preconditioner, K, queries), 10));
  const product = variants.find((v) => v.span === DEFAULT_QUERY.span && v.context === DEFAULT_QUERY.context)!;
  return {
    exact: { measuredTokens: sample.length, wall: exact.wall, cpu: exact.cpu, extrapolatedWallFor256: +((exact.wall / sample.length) * 256).toFixed(2), extrapolatedCpuFor256: +((exact.cpu / sample.length) * 256).toFixed(2) },
    variants,
    scoring256TokensDataInf: { records: N, wall: scoring.wall, cpu: scoring.cpu },
    productTotal: { wall: +(product.wall + scoring.wall).toFixed(3), cpu: +(product.cpu + scoring.cpu).toFixed(3) },
  };
}

function quality(gm: GradientModelWithLayout, tok: Tokenizer, texts: string[], store: RecordGradientStore) {
  const scores = (q: Float32Array) => loadNativeEngine().gemm({ transA: false, transB: true, M: store.rows, N: q.length / store.k, K: store.k, A: store.rowsView(0, store.rows), B: precondition(store.preconditioner, K, q) });
  const order = (s: ArrayLike<number>) => Array.from({ length: s.length }, (_, i) => i).sort((i, j) => s[j]! - s[i]!);
  const acc = new Map<string, { rho: number; top5: number; top1: number; hit: number; n: number }>();
  const responses = [3, 11, 19];
  let tokens = 0;
  for (const target of responses) {
    const ids = tok.encode(texts[target]!, { addSpecialTokens: false });
    const start = 4; // the first four tokens are the prompt
    const T = ids.length - start;
    tokens += T;
    const E = scores(query(gm, ids, start, 1, 256, store.meta.seed));
    for (const [name, span, context] of [['exact', 1, 256] as [string, number, number], ...VARIANTS]) {
      const S = name === 'exact' ? E : scores(query(gm, ids, start, span, context, store.meta.seed));
      for (let t = 0; t < T; t++) {
        const e = Float32Array.from({ length: store.rows }, (_, i) => E[i * T + t]!);
        const a = Float32Array.from({ length: store.rows }, (_, i) => S[i * T + t]!);
        const oe = order(e), oa = order(a);
        const v = acc.get(name) ?? { rho: 0, top5: 0, top1: 0, hit: 0, n: 0 };
        v.rho += spearmanCorrelation(Array.from(e), Array.from(a));
        v.top5 += oa.slice(0, 5).filter((i) => oe.slice(0, 5).includes(i)).length / 5;
        v.top1 += oa[0] === oe[0] ? 1 : 0;
        v.hit += oa[0] === target ? 1 : 0;
        v.n++;
        acc.set(name, v);
      }
    }
  }
  return {
    responses: responses.length,
    tokens,
    vsExact: Object.fromEntries(
      [...acc].map(([k, v]) => [k, { spearman: +(v.rho / v.n).toFixed(3), top5Overlap: +(v.top5 / v.n).toFixed(3), top1Agreement: +(v.top1 / v.n).toFixed(3), reproducedRecordTop1: +(v.hit / v.n).toFixed(3) }]),
    ),
  };
}

export async function attributionQuery(): Promise<unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-attr-query-'));
  try {
    const load0 = loadavg()[0];
    const s = setup(dir);
    const sp = speed(s.gm, s.tok, s.texts, dir);
    const loadMid = loadavg()[0];
    const q = quality(s.gm, s.tok, s.texts, s.store);
    return {
      loadAverage: { start: load0, afterSpeed: loadMid, end: loadavg()[0] },
      threads: loadNativeEngine().getThreads(),
      setup: { model: MODEL, lora: 'r8 on q,v, 40 steps on 24 records', train: s.trainSeconds, storeBuild: s.storeBuild, kPerLayer: K },
      speed: sp,
      quality: q,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
